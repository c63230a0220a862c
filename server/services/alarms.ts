import { desc, eq, max } from "drizzle-orm";
import { alarmResults, alarms, applications, deploymentGroups, hosts } from "../../drizzle/schema";
import { checkHosts, evaluateAlarm, type AlarmRow } from "../alarms/evaluate";
import type { AppContext } from "../context";
import { matchesFilters } from "../engine/tag-filters";
import { groupByName } from "./deployment-groups";
import { conflict, invalid, notFound } from "./errors";

/** An alarm's definition as forms and the API send it (the router validates the shape). */
export type AlarmDefinition = {
  name: string;
  type: "http" | "command";
  url?: string | null;
  expectedStatus?: number;
  bodyContains?: string | null;
  command?: string | null;
  timeoutSeconds: number;
  intervalSeconds: number;
  failuresToAlarm: number;
};

const view = (a: AlarmRow, lastEvaluatedAt: Date | null = null) => ({
  alarmName: a.name,
  type: a.type,
  url: a.url,
  expectedStatus: a.expectedStatus,
  bodyContains: a.bodyContains,
  command: a.command,
  timeoutSeconds: a.timeoutSeconds,
  intervalSeconds: a.intervalSeconds,
  failuresToAlarm: a.failuresToAlarm,
  state: a.state,
  stateReason: a.stateReason,
  stateUpdatedAt: a.stateUpdatedAt,
  consecutiveFailures: a.consecutiveFailures,
  lastEvaluatedAt,
  createTime: a.createdAt,
});
export type AlarmView = ReturnType<typeof view>;

async function alarmRow(ctx: Pick<AppContext, "db">, name: string): Promise<AlarmRow> {
  const [row] = await ctx.db.select().from(alarms).where(eq(alarms.name, name));
  if (!row) throw notFound("AlarmDoesNotExistException", `No alarm named "${name}" exists.`);
  return row;
}

async function assertNameFree(ctx: Pick<AppContext, "db">, name: string): Promise<void> {
  const [dup] = await ctx.db.select({ id: alarms.id }).from(alarms).where(eq(alarms.name, name));
  if (dup) throw conflict("AlarmAlreadyExistsException", `An alarm named "${name}" already exists.`, "name");
}

async function lastEvaluated(ctx: Pick<AppContext, "db">, alarmId?: string) {
  const q = ctx.db.select({ alarmId: alarmResults.alarmId, at: max(alarmResults.at) }).from(alarmResults);
  const rows = await (alarmId ? q.where(eq(alarmResults.alarmId, alarmId)) : q).groupBy(alarmResults.alarmId);
  return new Map(rows.map((r) => [r.alarmId, r.at]));
}

/** "Application/group" of every deployment group whose alarm configuration lists the alarm. */
export async function groupsListingAlarm(ctx: Pick<AppContext, "db">, name: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ app: applications.name, group: deploymentGroups.name, config: deploymentGroups.alarmConfiguration })
    .from(deploymentGroups)
    .innerJoin(applications, eq(applications.id, deploymentGroups.applicationId))
    .orderBy(applications.name, deploymentGroups.name);
  return rows.filter((r) => r.config.alarms.some((a) => a.name === name)).map((r) => `${r.app}/${r.group}`);
}

/** Keeps only the fields of the alarm's type, so a switched type leaves nothing stale behind. */
function columns(input: AlarmDefinition) {
  const http = input.type === "http";
  if (http && !input.url?.trim()) throw invalid("InvalidAlarmConfigException", "An HTTP check needs a URL.", "url");
  if (!http && !input.command?.trim()) throw invalid("InvalidAlarmConfigException", "A command check needs a command.", "command");
  return {
    name: input.name,
    type: input.type,
    url: http ? input.url!.trim() : null,
    expectedStatus: http ? (input.expectedStatus ?? 200) : 200,
    bodyContains: http && input.bodyContains ? input.bodyContains : null,
    command: http ? null : input.command!,
    timeoutSeconds: input.timeoutSeconds,
    intervalSeconds: input.intervalSeconds,
    failuresToAlarm: input.failuresToAlarm,
  };
}

export async function listAlarms(ctx: Pick<AppContext, "db">): Promise<AlarmView[]> {
  const [rows, last] = await Promise.all([ctx.db.select().from(alarms).orderBy(alarms.name), lastEvaluated(ctx)]);
  return rows.map((a) => view(a, last.get(a.id) ?? null));
}

export async function getAlarm(ctx: Pick<AppContext, "db">, name: string) {
  const a = await alarmRow(ctx, name);
  const last = await lastEvaluated(ctx, a.id);
  return { ...view(a, last.get(a.id) ?? null), deploymentGroups: await groupsListingAlarm(ctx, a.name) };
}

export async function createAlarm(ctx: Pick<AppContext, "db">, input: AlarmDefinition): Promise<AlarmView> {
  const values = columns(input);
  await assertNameFree(ctx, input.name);
  const [row] = await ctx.db.insert(alarms).values({ ...values, stateReason: "Not evaluated yet." }).returning();
  return view(row);
}

/**
 * Replaces an alarm's definition. A rename is refused while a deployment group lists the alarm
 * (its configuration names alarms). A changed check starts over: the old state said nothing
 * about the new check.
 */
export async function updateAlarm(ctx: Pick<AppContext, "db">, input: AlarmDefinition & { currentName: string }): Promise<AlarmView> {
  const row = await alarmRow(ctx, input.currentName);
  const values = columns(input);
  if (values.name !== row.name) {
    await assertNameFree(ctx, values.name);
    const groups = await groupsListingAlarm(ctx, row.name);
    if (groups.length)
      throw conflict("AlarmInUseException", `Alarm "${row.name}" cannot be renamed: deployment group ${groups.join(", ")} lists it.`, "name");
  }
  const checkChanged = (["type", "url", "expectedStatus", "bodyContains", "command"] as const).some((k) => values[k] !== row[k]);
  const [updated] = await ctx.db
    .update(alarms)
    .set({
      ...values,
      ...(checkChanged
        ? { state: "INSUFFICIENT_DATA" as const, consecutiveFailures: 0, stateReason: "The check changed; not evaluated since.", stateUpdatedAt: new Date() }
        : {}),
      updatedAt: new Date(),
    })
    .where(eq(alarms.id, row.id))
    .returning();
  return view(updated);
}

export async function removeAlarm(ctx: Pick<AppContext, "db">, name: string): Promise<void> {
  const row = await alarmRow(ctx, name);
  const groups = await groupsListingAlarm(ctx, row.name);
  if (groups.length)
    throw conflict(
      "AlarmInUseException",
      `Alarm "${row.name}" is listed by deployment group ${groups.join(", ")}; remove it from the group's alarms first.`,
    );
  await ctx.db.delete(alarms).where(eq(alarms.id, row.id));
}

export async function listAlarmResults(ctx: Pick<AppContext, "db">, name: string, limit: number) {
  const row = await alarmRow(ctx, name);
  return ctx.db
    .select({ id: alarmResults.id, at: alarmResults.at, ok: alarmResults.ok, target: alarmResults.target, message: alarmResults.message, deploymentId: alarmResults.deploymentId })
    .from(alarmResults)
    .where(eq(alarmResults.alarmId, row.id))
    .orderBy(desc(alarmResults.id))
    .limit(limit);
}

/** "Test alarm": evaluates it once now against the hosts of a deployment group (and records it). */
export async function evaluateAlarmNow(
  ctx: Pick<AppContext, "db" | "secrets">,
  input: { name: string; applicationName: string; deploymentGroupName: string },
) {
  const alarm = await alarmRow(ctx, input.name);
  const { group } = await groupByName(ctx, input.applicationName, input.deploymentGroupName);
  const all = await ctx.db.select().from(hosts).orderBy(hosts.name);
  const targets = all.filter((h) => matchesFilters(h.tags, group.onPremisesTagFilters));
  const r = await evaluateAlarm(alarm, checkHosts(ctx, targets), ctx);
  return {
    alarmName: r.alarmName,
    outcome: r.evaluation.kind,
    message: r.evaluation.kind === "ok" ? r.evaluation.message : r.evaluation.reason,
    state: r.status?.state ?? alarm.state,
    stateReason: r.status?.stateReason ?? alarm.stateReason,
    results: r.results,
  };
}
