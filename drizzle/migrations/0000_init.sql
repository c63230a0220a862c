CREATE TABLE "applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"compute_platform" text DEFAULT 'Server' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "deployment_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"deployment_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"type" text NOT NULL,
	"host_id" uuid,
	"target_id" text,
	"lifecycle_event" text,
	"message" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"name" text NOT NULL,
	"on_premises_tag_filters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deployment_config_name" text DEFAULT 'CodeDeployDefault.OneAtATime' NOT NULL,
	"file_exists_behavior" text DEFAULT 'DISALLOW' NOT NULL,
	"auto_rollback_configuration" jsonb DEFAULT '{"enabled":false,"events":[]}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployment_targets" (
	"deployment_id" text NOT NULL,
	"host_id" uuid NOT NULL,
	"target_id" text NOT NULL,
	"ordinal" integer NOT NULL,
	"status" text DEFAULT 'Pending' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployment_targets_deployment_id_host_id_pk" PRIMARY KEY("deployment_id","host_id")
);
--> statement-breakpoint
CREATE TABLE "deployments" (
	"id" text PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"deployment_group_id" uuid NOT NULL,
	"deployment_config_name" text NOT NULL,
	"revision" jsonb NOT NULL,
	"previous_revision" jsonb,
	"status" text DEFAULT 'Created' NOT NULL,
	"error_code" text,
	"error_message" text,
	"description" text,
	"creator" text DEFAULT 'user' NOT NULL,
	"file_exists_behavior" text DEFAULT 'DISALLOW' NOT NULL,
	"ignore_application_stop_failures" boolean DEFAULT false NOT NULL,
	"auto_rollback_configuration" jsonb,
	"rollback_info" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"start_time" timestamp with time zone,
	"complete_time" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "hosts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"port" integer DEFAULT 22 NOT NULL,
	"username" text DEFAULT 'root' NOT NULL,
	"private_key_enc" text NOT NULL,
	"host_key_fingerprint" text,
	"agent_root" text DEFAULT '/opt/slipway' NOT NULL,
	"tags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_seen_at" timestamp with time zone,
	"last_status" text DEFAULT 'Unknown' NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hosts_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "lifecycle_events" (
	"deployment_id" text NOT NULL,
	"host_id" uuid NOT NULL,
	"name" text NOT NULL,
	"ordinal" integer NOT NULL,
	"status" text DEFAULT 'Pending' NOT NULL,
	"start_time" timestamp with time zone,
	"end_time" timestamp with time zone,
	"diagnostics" jsonb,
	CONSTRAINT "lifecycle_events_deployment_id_host_id_name_pk" PRIMARY KEY("deployment_id","host_id","name")
);
--> statement-breakpoint
CREATE TABLE "log_lines" (
	"deployment_id" text NOT NULL,
	"seq" integer NOT NULL,
	"host_id" uuid NOT NULL,
	"event" text NOT NULL,
	"stream" text NOT NULL,
	"text" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_lines_deployment_id_seq_pk" PRIMARY KEY("deployment_id","seq")
);
--> statement-breakpoint
CREATE TABLE "revisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"bucket" text NOT NULL,
	"key" text NOT NULL,
	"bundle_type" text NOT NULL,
	"e_tag" text,
	"size" bigint,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_used_time" timestamp with time zone,
	"last_used_time" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_groups" ADD CONSTRAINT "deployment_groups_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_targets" ADD CONSTRAINT "deployment_targets_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployment_targets" ADD CONSTRAINT "deployment_targets_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_deployment_group_id_deployment_groups_id_fk" FOREIGN KEY ("deployment_group_id") REFERENCES "public"."deployment_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lifecycle_events" ADD CONSTRAINT "lifecycle_events_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_lines" ADD CONSTRAINT "log_lines_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployment_events_deployment" ON "deployment_events" USING btree ("deployment_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "deployment_groups_app_name" ON "deployment_groups" USING btree ("application_id","name");--> statement-breakpoint
CREATE INDEX "deployments_group_created" ON "deployments" USING btree ("deployment_group_id","created_at");--> statement-breakpoint
CREATE INDEX "deployments_app_created" ON "deployments" USING btree ("application_id","created_at");--> statement-breakpoint
CREATE INDEX "deployments_status" ON "deployments" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_app_location" ON "revisions" USING btree ("application_id","bucket","key","bundle_type");