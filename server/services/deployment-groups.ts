import { and, desc, eq, inArray } from "drizzle-orm";
import {
  alarms,
  deploymentGroups,
  deployments,
  hosts,
  type AlarmConfiguration,
  type AutoRollbackConfiguration,
  type TagFilter,
} from "../../drizzle/schema";
import type { FileExistsBehavior } from "../appspec/types";
import type { AppContext } from "../context";
import { matchesFilters, tagFilterProblem } from "../engine/tag-filters";
import { ALL_AT_ONCE, ONE_AT_A_TIME } from "../engine/verdict";
import { activeDeployment, applicationByName } from "./applications";
import { conflict, invalid, notFound } from "./errors";

export const DEPLOYMENT_CONFIGS = [ONE_AT_A_TIME, ALL_AT_ONCE] as const;

export type DeploymentGroupInput = {
  applicationName: string;
  deploymentGroupName: string;
  onPremisesTagFilters: TagFilter[];
  deploymentConfigName?: string;
  fileExistsBehavior?: FileExistsBehavior;
  autoRollbackConfiguration?: AutoRollbackConfiguration;
  alarmConfiguration?: AlarmConfiguration;
  bakeTimeSeconds?: number;
};

/** CodeDeploy refuses automatic rollback that is enabled without any event to trigger it. */
export function checkAutoRollback(config: AutoRollbackConfiguration) {
  if (config.enabled && config.events.length === 0)
    throw invalid(
      "InvalidAutoRollbackConfigException",
      "Automatic rollback is enabled but no event is chosen: pick DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM or DEPLOYMENT_STOP_ON_REQUEST, or disable rollbacks.",
      "autoRollbackConfiguration",
    );
}

export const MAX_ALARMS = 10;

export async function checkAlarmConfiguration(ctx: Pick<AppContext, "db">, config: AlarmConfiguration) {
  if (config.alarms.length > MAX_ALARMS)
    throw invalid("AlarmsLimitExceededException", `A deployment group can list at most ${MAX_ALARMS} alarms, not ${config.alarms.length}.`, "alarmConfiguration");
  if (config.enabled && config.alarms.length === 0)
    throw invalid("InvalidAlarmConfigException", "Alarm monitoring is enabled but no alarm is listed.", "alarmConfiguration");
  const names = config.alarms.map((x) => x.name);
  if (!names.length) return;
  const known = new Set((await ctx.db.select({ name: alarms.name }).from(alarms).where(inArray(alarms.name, names))).map((x) => x.name));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length)
    throw invalid("InvalidAlarmConfigException", `No alarm named ${missing.map((m) => `"${m}"`).join(", ")} exists: create it on the Alarms screen first.`, "alarmConfiguration");
}

function checkFilters(filters: TagFilter[]) {
  filters.forEach((f, i) => {
    const problem = tagFilterProblem(f);
    if (problem) throw invalid("InvalidTagFilterException", `Tag filter ${i + 1}: ${problem}`, "onPremisesTagFilters");
  });
}

function checkConfig(name: string | undefined) {
  if (name && !(DEPLOYMENT_CONFIGS as readonly string[]).includes(name))
    throw invalid(
      "DeploymentConfigDoesNotExistException",
      `Deployment configuration "${name}" does not exist. Available: ${DEPLOYMENT_CONFIGS.join(", ")}.`,
      "deploymentConfigName",
    );
}

export async function groupByName(ctx: Pick<AppContext, "db">, applicationName: string, groupName: string) {
  const app = await applicationByName(ctx, applicationName);
  const [g] = await ctx.db
    .select()
    .from(deploymentGroups)
    .where(and(eq(deploymentGroups.applicationId, app.id), eq(deploymentGroups.name, groupName)));
  if (!g)
    throw notFound(
      "DeploymentGroupDoesNotExistException",
      `No deployment group named "${groupName}" exists in application "${applicationName}".`,
    );
  return { app, group: g };
}

const view = (applicationName: string, g: typeof deploymentGroups.$inferSelect) => ({
  applicationName,
  deploymentGroupId: g.id,
  deploymentGroupName: g.name,
  onPremisesTagFilters: g.onPremisesTagFilters,
  deploymentConfigName: g.deploymentConfigName,
  fileExistsBehavior: g.fileExistsBehavior,
  autoRollbackConfiguration: g.autoRollbackConfiguration,
  alarmConfiguration: g.alarmConfiguration,
  bakeTimeSeconds: g.bakeTimeSeconds,
  createTime: g.createdAt,
});

export async function listDeploymentGroups(ctx: AppContext, applicationName: string) {
  const app = await applicationByName(ctx, applicationName);
  const groups = await ctx.db.select().from(deploymentGroups).where(eq(deploymentGroups.applicationId, app.id)).orderBy(deploymentGroups.name);
  const last = groups.length
    ? await ctx.db
        .selectDistinctOn([deployments.deploymentGroupId], {
          groupId: deployments.deploymentGroupId,
          deploymentId: deployments.id,
          status: deployments.status,
          createTime: deployments.createTime,
        })
        .from(deployments)
        .where(inArray(deployments.deploymentGroupId, groups.map((g) => g.id)))
        .orderBy(deployments.deploymentGroupId, desc(deployments.createTime))
    : [];
  return groups.map((g) => {
    const l = last.find((x) => x.groupId === g.id);
    return { ...view(app.name, g), lastDeployment: l ? { deploymentId: l.deploymentId, status: l.status, createTime: l.createTime } : null };
  });
}

export async function getDeploymentGroup(ctx: AppContext, applicationName: string, groupName: string) {
  const { app, group } = await groupByName(ctx, applicationName, groupName);
  // The console warns when OVERWRITE follows RETAIN: a rollback cannot restore replaced files.
  const [last] = await ctx.db
    .select({ deploymentId: deployments.id, fileExistsBehavior: deployments.fileExistsBehavior, revision: deployments.revision })
    .from(deployments)
    .where(and(eq(deployments.deploymentGroupId, group.id), eq(deployments.status, "Succeeded")))
    .orderBy(desc(deployments.createTime))
    .limit(1);
  return { ...view(app.name, group), lastSuccessfulDeployment: last ?? null };
}

export async function createDeploymentGroup(ctx: AppContext, input: DeploymentGroupInput) {
  const app = await applicationByName(ctx, input.applicationName);
  checkFilters(input.onPremisesTagFilters);
  checkConfig(input.deploymentConfigName);
  if (input.autoRollbackConfiguration) checkAutoRollback(input.autoRollbackConfiguration);
  if (input.alarmConfiguration) await checkAlarmConfiguration(ctx, input.alarmConfiguration);
  const [dup] = await ctx.db
    .select({ id: deploymentGroups.id })
    .from(deploymentGroups)
    .where(and(eq(deploymentGroups.applicationId, app.id), eq(deploymentGroups.name, input.deploymentGroupName)));
  if (dup)
    throw conflict(
      "DeploymentGroupAlreadyExistsException",
      `A deployment group named "${input.deploymentGroupName}" already exists in application "${app.name}".`,
      "deploymentGroupName",
    );
  const [g] = await ctx.db
    .insert(deploymentGroups)
    .values({
      applicationId: app.id,
      name: input.deploymentGroupName,
      onPremisesTagFilters: input.onPremisesTagFilters,
      deploymentConfigName: input.deploymentConfigName ?? DEPLOYMENT_CONFIGS[0],
      fileExistsBehavior: input.fileExistsBehavior ?? "DISALLOW",
      ...(input.autoRollbackConfiguration ? { autoRollbackConfiguration: input.autoRollbackConfiguration } : {}),
      ...(input.alarmConfiguration ? { alarmConfiguration: input.alarmConfiguration } : {}),
      ...(input.bakeTimeSeconds !== undefined ? { bakeTimeSeconds: input.bakeTimeSeconds } : {}),
    })
    .returning();
  return view(app.name, g);
}

export type UpdateDeploymentGroupInput = Partial<Omit<DeploymentGroupInput, "deploymentGroupName">> & {
  applicationName: string;
  currentDeploymentGroupName: string;
  newDeploymentGroupName?: string;
};

export async function updateDeploymentGroup(ctx: AppContext, input: UpdateDeploymentGroupInput) {
  const { app, group } = await groupByName(ctx, input.applicationName, input.currentDeploymentGroupName);
  if (input.onPremisesTagFilters) checkFilters(input.onPremisesTagFilters);
  checkConfig(input.deploymentConfigName);
  if (input.autoRollbackConfiguration) checkAutoRollback(input.autoRollbackConfiguration);
  if (input.alarmConfiguration) await checkAlarmConfiguration(ctx, input.alarmConfiguration);
  if (input.newDeploymentGroupName && input.newDeploymentGroupName !== group.name) {
    const [dup] = await ctx.db
      .select({ id: deploymentGroups.id })
      .from(deploymentGroups)
      .where(and(eq(deploymentGroups.applicationId, app.id), eq(deploymentGroups.name, input.newDeploymentGroupName)));
    if (dup)
      throw conflict("DeploymentGroupAlreadyExistsException", `A deployment group named "${input.newDeploymentGroupName}" already exists.`, "newDeploymentGroupName");
  }
  const [g] = await ctx.db
    .update(deploymentGroups)
    .set({
      ...(input.newDeploymentGroupName ? { name: input.newDeploymentGroupName } : {}),
      ...(input.onPremisesTagFilters ? { onPremisesTagFilters: input.onPremisesTagFilters } : {}),
      ...(input.deploymentConfigName ? { deploymentConfigName: input.deploymentConfigName } : {}),
      ...(input.fileExistsBehavior ? { fileExistsBehavior: input.fileExistsBehavior } : {}),
      ...(input.autoRollbackConfiguration ? { autoRollbackConfiguration: input.autoRollbackConfiguration } : {}),
      ...(input.alarmConfiguration ? { alarmConfiguration: input.alarmConfiguration } : {}),
      ...(input.bakeTimeSeconds !== undefined ? { bakeTimeSeconds: input.bakeTimeSeconds } : {}),
      updatedAt: new Date(),
    })
    .where(eq(deploymentGroups.id, group.id))
    .returning();
  return view(app.name, g);
}

export async function deleteDeploymentGroup(ctx: AppContext, applicationName: string, groupName: string) {
  const { group } = await groupByName(ctx, applicationName, groupName);
  const active = await activeDeployment(ctx.db, eq(deployments.deploymentGroupId, group.id));
  if (active) throw conflict("DeploymentAlreadyInProgressException", `Deployment ${active.id} of this group is in progress.`);
  await ctx.db.delete(deploymentGroups).where(eq(deploymentGroups.id, group.id));
}

/** The hosts a set of tag filters selects, for the form's live preview. */
export async function matchingHosts(ctx: AppContext, filters: TagFilter[]) {
  const all = await ctx.db
    .select({ name: hosts.name, address: hosts.address, port: hosts.port, tags: hosts.tags, lastStatus: hosts.lastStatus })
    .from(hosts)
    .orderBy(hosts.name);
  return all.filter((h) => matchesFilters(h.tags, filters.filter((f) => !tagFilterProblem(f))));
}
