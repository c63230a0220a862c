import { relations, sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export type Tag = { Key: string; Value: string };
export type TagFilter = { Key?: string; Value?: string; Type: "KEY_ONLY" | "VALUE_ONLY" | "KEY_AND_VALUE" };
export type S3Location = { bucket: string; key: string; bundleType: "zip" | "tar" | "tgz"; version?: string; eTag?: string };
export type AutoRollbackConfiguration = {
  enabled: boolean;
  events: ("DEPLOYMENT_FAILURE" | "DEPLOYMENT_STOP_ON_ALARM" | "DEPLOYMENT_STOP_ON_REQUEST")[];
};
export type RollbackInfo = {
  rollbackDeploymentId?: string;
  rollbackTriggeringDeploymentId?: string;
  rollbackMessage?: string;
};
export type AlarmConfiguration = {
  enabled: boolean;
  ignorePollAlarmFailure: boolean;
  alarms: { name: string }[];
};
export type Diagnostics = {
  errorCode: "Success" | "ScriptMissing" | "ScriptNotExecutable" | "ScriptTimedOut" | "ScriptFailed" | "UnknownError";
  scriptName: string;
  message: string;
  logTail: string;
};

// --- users and sessions -------------------------------------------------------------------

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  username: text("username").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  createdAt: createdAt(),
});

/** Console sessions (cookie) and CLI tokens; only the token's SHA-256 is stored. */
export const sessions = pgTable("sessions", {
  tokenHash: text("token_hash").primaryKey(),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  kind: text("kind", { enum: ["console", "cli"] }).notNull(),
  createdAt: createdAt(),
  expiresAt: ts("expires_at").notNull(),
});

// --- hosts (CodeDeploy's on-premises instances) ---------------------------------------------

export const hosts = pgTable("hosts", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  address: text("address").notNull(),
  port: integer("port").notNull().default(22),
  username: text("username").notNull().default("root"),
  /** AES-256-GCM sealed private key; never leaves the server. */
  privateKeyEnc: text("private_key_enc").notNull(),
  /** The trusted host key, "SHA256:..."; null until an operator trusts the one shown. */
  hostKeyFingerprint: text("host_key_fingerprint"),
  agentRoot: text("agent_root").notNull().default("/opt/slipway"),
  tags: jsonb("tags").$type<Tag[]>().notNull().default(sql`'[]'::jsonb`),
  lastSeenAt: ts("last_seen_at"),
  lastStatus: text("last_status", { enum: ["Unknown", "Online", "Unreachable", "HostKeyMismatch", "Untrusted"] })
    .notNull()
    .default("Unknown"),
  lastError: text("last_error"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// --- applications, groups, revisions -------------------------------------------------------

export const applications = pgTable("applications", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  computePlatform: text("compute_platform", { enum: ["Server"] }).notNull().default("Server"),
  createdAt: createdAt(),
});

export const deploymentGroups = pgTable(
  "deployment_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    onPremisesTagFilters: jsonb("on_premises_tag_filters").$type<TagFilter[]>().notNull().default(sql`'[]'::jsonb`),
    deploymentConfigName: text("deployment_config_name").notNull().default("CodeDeployDefault.OneAtATime"),
    fileExistsBehavior: text("file_exists_behavior", { enum: ["DISALLOW", "OVERWRITE", "RETAIN"] })
      .notNull()
      .default("DISALLOW"),
    autoRollbackConfiguration: jsonb("auto_rollback_configuration")
      .$type<AutoRollbackConfiguration>()
      .notNull()
      .default(sql`'{"enabled":false,"events":[]}'::jsonb`),
    alarmConfiguration: jsonb("alarm_configuration")
      .$type<AlarmConfiguration>()
      .notNull()
      .default(sql`'{"enabled":false,"ignorePollAlarmFailure":false,"alarms":[]}'::jsonb`),
    /** After a deployment's hosts are done, alarms keep being watched this long before Succeeded. */
    bakeTimeSeconds: integer("bake_time_seconds").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("deployment_groups_app_name").on(t.applicationId, t.name)],
);

export const revisions = pgTable(
  "revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    bundleType: text("bundle_type", { enum: ["zip", "tar", "tgz"] }).notNull(),
    eTag: text("e_tag"),
    size: bigint("size", { mode: "number" }),
    description: text("description"),
    registerTime: createdAt(),
    firstUsedTime: ts("first_used_time"),
    lastUsedTime: ts("last_used_time"),
  },
  (t) => [uniqueIndex("revisions_app_location").on(t.applicationId, t.bucket, t.key, t.bundleType)],
);

// --- deployments ---------------------------------------------------------------------------

export const DEPLOYMENT_STATUSES = ["Created", "Queued", "InProgress", "Succeeded", "Failed", "Stopped"] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];
/** Not finished yet: one per group at a time, and what a restart must not leave behind. */
export const ACTIVE_STATUSES = ["Created", "Queued", "InProgress"] as const satisfies readonly DeploymentStatus[];
export const TARGET_STATUSES = ["Pending", "InProgress", "Succeeded", "Failed", "Skipped", "Unknown"] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export const deployments = pgTable(
  "deployments",
  {
    id: text("id").primaryKey(),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id, { onDelete: "cascade" }),
    deploymentGroupId: uuid("deployment_group_id")
      .notNull()
      .references(() => deploymentGroups.id, { onDelete: "cascade" }),
    deploymentConfigName: text("deployment_config_name").notNull(),
    revision: jsonb("revision").$type<S3Location>().notNull(),
    previousRevision: jsonb("previous_revision").$type<S3Location>(),
    status: text("status", { enum: DEPLOYMENT_STATUSES }).notNull().default("Created"),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    description: text("description"),
    creator: text("creator", { enum: ["user", "codeDeployRollback", "autoscaling"] }).notNull().default("user"),
    fileExistsBehavior: text("file_exists_behavior", { enum: ["DISALLOW", "OVERWRITE", "RETAIN"] })
      .notNull()
      .default("DISALLOW"),
    ignoreApplicationStopFailures: boolean("ignore_application_stop_failures").notNull().default(false),
    autoRollbackConfiguration: jsonb("auto_rollback_configuration").$type<AutoRollbackConfiguration>(),
    overrideAlarmConfiguration: jsonb("override_alarm_configuration").$type<AlarmConfiguration>(),
    rollbackInfo: jsonb("rollback_info").$type<RollbackInfo>(),
    /** sha256 of the normalised revision tar, known once DownloadBundle prepared it; hosts keep it as bundle.tar. */
    bundleSha256: text("bundle_sha256"),
    createTime: createdAt(),
    startTime: ts("start_time"),
    completeTime: ts("complete_time"),
  },
  (t) => [
    index("deployments_group_created").on(t.deploymentGroupId, t.createTime),
    index("deployments_app_created").on(t.applicationId, t.createTime),
    index("deployments_status").on(t.status),
  ],
);

export const deploymentTargets = pgTable(
  "deployment_targets",
  {
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    /** The host's name, as CodeDeploy names on-premises targets. */
    targetId: text("target_id").notNull(),
    ordinal: integer("ordinal").notNull(),
    status: text("status", { enum: TARGET_STATUSES }).notNull().default("Pending"),
    lastUpdatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.hostId] })],
);

export const lifecycleEvents = pgTable(
  "lifecycle_events",
  {
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    hostId: uuid("host_id").notNull(),
    name: text("name").notNull(),
    ordinal: integer("ordinal").notNull(),
    status: text("status", { enum: TARGET_STATUSES }).notNull().default("Pending"),
    startTime: ts("start_time"),
    endTime: ts("end_time"),
    diagnostics: jsonb("diagnostics").$type<Diagnostics>(),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.hostId, t.name] })],
);

export const logLines = pgTable(
  "log_lines",
  {
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    hostId: uuid("host_id").notNull(),
    event: text("event").notNull(),
    stream: text("stream", { enum: ["stdout", "stderr", "system"] }).notNull(),
    text: text("text").notNull(),
    at: ts("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deploymentId, t.seq] })],
);

/** The timeline: every state change, written in the same transaction as the change. */
export const deploymentEvents = pgTable(
  "deployment_events",
  {
    id: serial("id").primaryKey(),
    deploymentId: text("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    at: ts("at").notNull().defaultNow(),
    type: text("type").notNull(),
    hostId: uuid("host_id"),
    targetId: text("target_id"),
    lifecycleEvent: text("lifecycle_event"),
    message: text("message").notNull(),
  },
  (t) => [index("deployment_events_deployment").on(t.deploymentId, t.id)],
);

// --- alarms: health checks Slipway evaluates itself ----------------------------------------

export const ALARM_STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

export const alarms = pgTable("alarms", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  type: text("type", { enum: ["http", "command"] }).notNull(),
  /** HTTP check: a URL where {host} stands for each host's address. */
  url: text("url"),
  expectedStatus: integer("expected_status").notNull().default(200),
  bodyContains: text("body_contains"),
  /** Command check: run on each host over SSH; exit 0 is healthy. */
  command: text("command"),
  timeoutSeconds: integer("timeout_seconds").notNull().default(5),
  intervalSeconds: integer("interval_seconds").notNull().default(10),
  /** Consecutive failed evaluations that put the alarm in ALARM. */
  failuresToAlarm: integer("failures_to_alarm").notNull().default(3),
  state: text("state", { enum: ALARM_STATES }).notNull().default("INSUFFICIENT_DATA"),
  stateReason: text("state_reason"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  stateUpdatedAt: ts("state_updated_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const alarmResults = pgTable(
  "alarm_results",
  {
    id: serial("id").primaryKey(),
    alarmId: uuid("alarm_id")
      .notNull()
      .references(() => alarms.id, { onDelete: "cascade" }),
    at: ts("at").notNull().defaultNow(),
    ok: boolean("ok").notNull(),
    /** The host checked, when the check is per host. */
    target: text("target"),
    message: text("message").notNull(),
    deploymentId: text("deployment_id"),
  },
  (t) => [index("alarm_results_alarm").on(t.alarmId, t.id)],
);

export const applicationsRelations = relations(applications, ({ many }) => ({
  deploymentGroups: many(deploymentGroups),
  revisions: many(revisions),
  deployments: many(deployments),
}));
export const deploymentGroupsRelations = relations(deploymentGroups, ({ one, many }) => ({
  application: one(applications, { fields: [deploymentGroups.applicationId], references: [applications.id] }),
  deployments: many(deployments),
}));
export const deploymentsRelations = relations(deployments, ({ one, many }) => ({
  application: one(applications, { fields: [deployments.applicationId], references: [applications.id] }),
  deploymentGroup: one(deploymentGroups, {
    fields: [deployments.deploymentGroupId],
    references: [deploymentGroups.id],
  }),
  targets: many(deploymentTargets),
}));
export const deploymentTargetsRelations = relations(deploymentTargets, ({ one }) => ({
  deployment: one(deployments, { fields: [deploymentTargets.deploymentId], references: [deployments.id] }),
  host: one(hosts, { fields: [deploymentTargets.hostId], references: [hosts.id] }),
}));
