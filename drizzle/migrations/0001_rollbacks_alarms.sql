CREATE TABLE "alarm_results" (
	"id" serial PRIMARY KEY NOT NULL,
	"alarm_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"ok" boolean NOT NULL,
	"target" text,
	"message" text NOT NULL,
	"deployment_id" text
);
--> statement-breakpoint
CREATE TABLE "alarms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"url" text,
	"expected_status" integer DEFAULT 200 NOT NULL,
	"body_contains" text,
	"command" text,
	"timeout_seconds" integer DEFAULT 5 NOT NULL,
	"interval_seconds" integer DEFAULT 10 NOT NULL,
	"failures_to_alarm" integer DEFAULT 3 NOT NULL,
	"state" text DEFAULT 'INSUFFICIENT_DATA' NOT NULL,
	"state_reason" text,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"state_updated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alarms_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "deployment_groups" ADD COLUMN "alarm_configuration" jsonb DEFAULT '{"enabled":false,"ignorePollAlarmFailure":false,"alarms":[]}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "deployment_groups" ADD COLUMN "bake_time_seconds" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "override_alarm_configuration" jsonb;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "bundle_sha256" text;--> statement-breakpoint
ALTER TABLE "alarm_results" ADD CONSTRAINT "alarm_results_alarm_id_alarms_id_fk" FOREIGN KEY ("alarm_id") REFERENCES "public"."alarms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alarm_results_alarm" ON "alarm_results" USING btree ("alarm_id","id");