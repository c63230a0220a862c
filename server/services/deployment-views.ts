import type { deployments, deploymentTargets, lifecycleEvents, TargetStatus } from "../../drizzle/schema";

/** CodeDeploy's timestamps: epoch seconds, with milliseconds as the fraction. */
export const epoch = (d: Date | null | undefined) => (d ? d.getTime() / 1000 : undefined);

export type DeploymentOverview = Record<"Pending" | "InProgress" | "Succeeded" | "Failed" | "Skipped" | "Ready", number>;

export function overviewOf(statuses: TargetStatus[]): DeploymentOverview {
  const o: DeploymentOverview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  for (const s of statuses) if (s in o) o[s as keyof DeploymentOverview]++;
  return o;
}

/** GetDeployment's deploymentInfo, shaped like the CodeDeploy API. */
export function toDeploymentInfo(
  d: typeof deployments.$inferSelect,
  names: { applicationName: string; deploymentGroupName: string },
  targetStatuses: TargetStatus[],
) {
  return {
    applicationName: names.applicationName,
    deploymentGroupName: names.deploymentGroupName,
    deploymentConfigName: d.deploymentConfigName,
    deploymentId: d.id,
    ...(d.previousRevision ? { previousRevision: { revisionType: "S3" as const, s3Location: d.previousRevision } } : {}),
    revision: { revisionType: "S3" as const, s3Location: d.revision },
    status: d.status,
    ...(d.errorCode ? { errorInformation: { code: d.errorCode, message: d.errorMessage ?? "" } } : {}),
    createTime: epoch(d.createTime)!,
    ...(d.startTime ? { startTime: epoch(d.startTime) } : {}),
    ...(d.completeTime ? { completeTime: epoch(d.completeTime) } : {}),
    deploymentOverview: overviewOf(targetStatuses),
    ...(d.description ? { description: d.description } : {}),
    creator: d.creator,
    ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
    ...(d.autoRollbackConfiguration ? { autoRollbackConfiguration: d.autoRollbackConfiguration } : {}),
    updateOutdatedInstancesOnly: false,
    ...(d.rollbackInfo ? { rollbackInfo: d.rollbackInfo } : {}),
    deploymentStyle: { deploymentType: "IN_PLACE" as const, deploymentOption: "WITHOUT_TRAFFIC_CONTROL" as const },
    fileExistsBehavior: d.fileExistsBehavior,
    computePlatform: "Server" as const,
  };
}
export type DeploymentInfo = ReturnType<typeof toDeploymentInfo>;

/** BatchGetDeploymentTargets' instanceTarget. */
export function toInstanceTarget(
  t: typeof deploymentTargets.$inferSelect,
  events: (typeof lifecycleEvents.$inferSelect)[],
) {
  return {
    deploymentId: t.deploymentId,
    targetId: t.targetId,
    hostId: t.hostId,
    targetArn: t.targetId,
    status: t.status,
    lastUpdatedAt: epoch(t.lastUpdatedAt)!,
    lifecycleEvents: events
      .sort((a, b) => a.ordinal - b.ordinal)
      .map((e) => ({
        lifecycleEventName: e.name,
        status: e.status,
        ...(e.startTime ? { startTime: epoch(e.startTime) } : {}),
        ...(e.endTime ? { endTime: epoch(e.endTime) } : {}),
        ...(e.diagnostics ? { diagnostics: e.diagnostics } : {}),
      })),
  };
}
export type InstanceTarget = ReturnType<typeof toInstanceTarget>;
