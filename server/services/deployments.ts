import { and, asc, desc, eq, gt, inArray, type SQL } from "drizzle-orm";
import {
  ACTIVE_STATUSES,
  applications,
  deploymentEvents,
  deploymentGroups,
  deployments,
  deploymentTargets,
  lifecycleEvents,
  logLines,
  type AlarmConfiguration,
  type AutoRollbackConfiguration,
  type S3Location,
} from "../../drizzle/schema";
import type { FileExistsBehavior } from "../appspec/types";
import type { AppContext } from "../context";
import { newDeploymentId } from "../lib/ids";
import { bucketNameProblem, objectKeyProblem } from "../revisions/s3-location";
import { activeDeployment, applicationByName } from "./applications";
import { checkAlarmConfiguration, checkAutoRollback, groupByName } from "./deployment-groups";
import { epoch, toDeploymentInfo, toInstanceTarget } from "./deployment-views";
import { conflict, invalid, notFound } from "./errors";
import { touchRevision } from "./revisions";

export type CreateDeploymentInput = {
  applicationName: string;
  deploymentGroupName: string;
  revision: S3Location;
  description?: string;
  fileExistsBehavior?: FileExistsBehavior;
  ignoreApplicationStopFailures?: boolean;
  /** CodeDeploy's "Rollback configuration overrides"; unset keeps the group's. */
  autoRollbackConfiguration?: AutoRollbackConfiguration;
  overrideAlarmConfiguration?: AlarmConfiguration;
};

/**
 * CreateDeployment. The revision's object is NOT looked up here: as with CodeDeploy, a missing
 * key still creates the deployment, which then fails at DownloadBundle with S3's message.
 */
export async function createDeployment(ctx: AppContext, input: CreateDeploymentInput, creator: "user" | "codeDeployRollback" = "user") {
  const bucketProblem = bucketNameProblem(input.revision.bucket);
  if (bucketProblem) throw invalid("InvalidRevisionException", bucketProblem, "revision");
  const keyProblem = objectKeyProblem(input.revision.key);
  if (keyProblem) throw invalid("InvalidRevisionException", keyProblem, "revision");
  const { app, group } = await groupByName(ctx, input.applicationName, input.deploymentGroupName);
  if (input.autoRollbackConfiguration) checkAutoRollback(input.autoRollbackConfiguration);
  if (input.overrideAlarmConfiguration) await checkAlarmConfiguration(ctx, input.overrideAlarmConfiguration);
  const id = newDeploymentId();
  await ctx.db.transaction(async (tx) => {
    // Lock the group row so two creates cannot both see "no active deployment".
    await tx.select({ id: deploymentGroups.id }).from(deploymentGroups).where(eq(deploymentGroups.id, group.id)).for("update");
    const active = await activeDeployment(tx, eq(deployments.deploymentGroupId, group.id));
    if (active)
      throw conflict(
        "DeploymentLimitExceededException",
        `The Deployment Group '${group.name}' already has an active Deployment '${active.id}'`,
      );
    const [previous] = await tx
      .select({ revision: deployments.revision })
      .from(deployments)
      .where(and(eq(deployments.deploymentGroupId, group.id), eq(deployments.status, "Succeeded")))
      .orderBy(desc(deployments.createTime))
      .limit(1);
    await tx.insert(deployments).values({
      id,
      applicationId: app.id,
      deploymentGroupId: group.id,
      deploymentConfigName: group.deploymentConfigName,
      revision: input.revision,
      previousRevision: previous?.revision ?? null,
      description: input.description || null,
      creator,
      fileExistsBehavior: input.fileExistsBehavior ?? group.fileExistsBehavior,
      ignoreApplicationStopFailures: input.ignoreApplicationStopFailures ?? false,
      // The effective configuration is kept with the deployment, as CodeDeploy reports it.
      autoRollbackConfiguration: input.autoRollbackConfiguration ?? group.autoRollbackConfiguration,
      overrideAlarmConfiguration: input.overrideAlarmConfiguration ?? null,
    });
    await tx.insert(deploymentEvents).values({
      deploymentId: id,
      type: "DeploymentCreated",
      message: `Deployment created by ${creator} for s3://${input.revision.bucket}/${input.revision.key} (${input.revision.bundleType})`,
    });
  });
  await touchRevision(ctx, app.id, input.revision);
  ctx.engine.kick();
  return { deploymentId: id };
}

async function deploymentRow(ctx: AppContext, deploymentId: string) {
  const [row] = await ctx.db
    .select({ d: deployments, applicationName: applications.name, deploymentGroupName: deploymentGroups.name })
    .from(deployments)
    .innerJoin(applications, eq(applications.id, deployments.applicationId))
    .innerJoin(deploymentGroups, eq(deploymentGroups.id, deployments.deploymentGroupId))
    .where(eq(deployments.id, deploymentId));
  if (!row) throw notFound("DeploymentDoesNotExistException", `Deployment ${deploymentId} does not exist.`);
  return row;
}

export async function getDeployment(ctx: AppContext, deploymentId: string) {
  const row = await deploymentRow(ctx, deploymentId);
  const statuses = await ctx.db.select({ s: deploymentTargets.status }).from(deploymentTargets).where(eq(deploymentTargets.deploymentId, deploymentId));
  return { deploymentInfo: toDeploymentInfo(row.d, row, statuses.map((s) => s.s)) };
}

export async function listDeployments(ctx: AppContext, input: { applicationName?: string; deploymentGroupName?: string; limit?: number }) {
  const where: SQL[] = [];
  if (input.applicationName && input.deploymentGroupName) {
    const { group } = await groupByName(ctx, input.applicationName, input.deploymentGroupName);
    where.push(eq(deployments.deploymentGroupId, group.id));
  } else if (input.applicationName) {
    const app = await applicationByName(ctx, input.applicationName);
    where.push(eq(deployments.applicationId, app.id));
  }
  const rows = await ctx.db
    .select({ d: deployments, applicationName: applications.name, deploymentGroupName: deploymentGroups.name })
    .from(deployments)
    .innerJoin(applications, eq(applications.id, deployments.applicationId))
    .innerJoin(deploymentGroups, eq(deploymentGroups.id, deployments.deploymentGroupId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(deployments.createTime))
    .limit(input.limit ?? 200);
  return rows.map((r) => ({
    deploymentId: r.d.id,
    applicationName: r.applicationName,
    deploymentGroupName: r.deploymentGroupName,
    status: r.d.status,
    creator: r.d.creator,
    revision: r.d.revision,
    description: r.d.description,
    createTime: epoch(r.d.createTime)!,
    startTime: epoch(r.d.startTime),
    completeTime: epoch(r.d.completeTime),
    errorInformation: r.d.errorCode ? { code: r.d.errorCode, message: r.d.errorMessage ?? "" } : undefined,
    rollbackInfo: r.d.rollbackInfo ?? undefined,
  }));
}

export async function listDeploymentTargets(ctx: AppContext, deploymentId: string) {
  await deploymentRow(ctx, deploymentId);
  const targets = await ctx.db.select().from(deploymentTargets).where(eq(deploymentTargets.deploymentId, deploymentId)).orderBy(asc(deploymentTargets.ordinal));
  const events = await ctx.db.select().from(lifecycleEvents).where(eq(lifecycleEvents.deploymentId, deploymentId));
  return targets.map((t) => toInstanceTarget(t, events.filter((e) => e.hostId === t.hostId)));
}

export async function getDeploymentTarget(ctx: AppContext, deploymentId: string, targetId: string) {
  const all = await listDeploymentTargets(ctx, deploymentId);
  const t = all.find((x) => x.targetId === targetId);
  if (!t) throw notFound("DeploymentTargetDoesNotExistException", `Deployment ${deploymentId} has no target "${targetId}".`);
  return t;
}

export async function deploymentLogs(ctx: AppContext, input: { deploymentId: string; afterSeq?: number; limit?: number }) {
  await deploymentRow(ctx, input.deploymentId);
  const rows = await ctx.db
    .select({ l: logLines, targetId: deploymentTargets.targetId })
    .from(logLines)
    .leftJoin(deploymentTargets, and(eq(deploymentTargets.deploymentId, logLines.deploymentId), eq(deploymentTargets.hostId, logLines.hostId)))
    .where(and(eq(logLines.deploymentId, input.deploymentId), gt(logLines.seq, input.afterSeq ?? 0)))
    .orderBy(asc(logLines.seq))
    .limit(input.limit ?? 20_000);
  return rows.map(({ l, targetId }) => ({
    seq: l.seq,
    hostId: l.hostId,
    targetId: targetId ?? "",
    event: l.event,
    stream: l.stream,
    text: l.text,
    at: l.at.getTime(),
  }));
}

export async function deploymentTimeline(ctx: AppContext, deploymentId: string) {
  await deploymentRow(ctx, deploymentId);
  const rows = await ctx.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, deploymentId)).orderBy(asc(deploymentEvents.id));
  return rows.map((e) => ({ ...e, at: epoch(e.at)! }));
}

/**
 * StopDeployment: no new host starts, running hooks' process groups are killed, and the
 * deployment ends Stopped (MANUAL_STOP); with autoRollbackEnabled a rollback follows.
 */
export async function stopDeployment(ctx: AppContext, input: { deploymentId: string; autoRollbackEnabled?: boolean }) {
  const { d } = await deploymentRow(ctx, input.deploymentId);
  if (!(ACTIVE_STATUSES as readonly string[]).includes(d.status))
    throw conflict("DeploymentAlreadyCompletedException", `Deployment ${d.id} has already completed (${d.status}).`);
  const request = {
    code: "MANUAL_STOP" as const,
    message: "The deployment was stopped by a user request.",
    rollback: input.autoRollbackEnabled,
  };
  // Not running in this process: either still Created (the engine has not picked it up) or
  // left by a process that died. Mark it Stopped; the engine only starts Created deployments.
  if (!ctx.engine.stop(d.id, request)) {
    const [row] = await ctx.db
      .update(deployments)
      .set({ status: "Stopped", completeTime: new Date(), errorCode: "MANUAL_STOP", errorMessage: request.message })
      .where(and(eq(deployments.id, d.id), inArray(deployments.status, [...ACTIVE_STATUSES])))
      .returning({ id: deployments.id });
    if (row) {
      await ctx.db.insert(deploymentEvents).values({ deploymentId: d.id, type: "DeploymentStopped", message: request.message });
      ctx.publisher.deployment(d.id, { status: "Stopped", errorCode: "MANUAL_STOP", errorMessage: request.message });
    }
  }
  await ctx.db.insert(deploymentEvents).values({
    deploymentId: d.id,
    type: "StopRequested",
    message: `Stop requested${input.autoRollbackEnabled ? " with automatic rollback" : input.autoRollbackEnabled === false ? " without rollback" : ""}`,
  });
  return { status: "Pending" as const, statusMessage: "Stopping deployment" };
}

/** Redeploy: a normal new deployment of an earlier deployment's revision, with its content option. */
export async function redeploy(ctx: AppContext, input: { deploymentId: string; description?: string }) {
  const row = await deploymentRow(ctx, input.deploymentId);
  return createDeployment(ctx, {
    applicationName: row.applicationName,
    deploymentGroupName: row.deploymentGroupName,
    revision: row.d.revision,
    fileExistsBehavior: row.d.fileExistsBehavior,
    ignoreApplicationStopFailures: row.d.ignoreApplicationStopFailures,
    description: input.description ?? `Redeploy of the revision of ${row.d.id}`,
  });
}
