import { and, desc, eq, lt } from "drizzle-orm";
import { deployments, hosts, type AutoRollbackConfiguration, type TagFilter } from "../../drizzle/schema";
import type { Db } from "../db/client";
import { newDeploymentId } from "../lib/ids";
import { formatS3Uri } from "../revisions/s3-location";
import type { StopRequest } from "./control";
import { NO_WRITES, startedEntry, type EndingWrites, type TimelineRow } from "./state";
import { matchesFilters } from "./tag-filters";
import { ALL_AT_ONCE } from "./verdict";

export type Ending = { status: "Failed" } | { status: "Stopped"; stop: StopRequest } | { status: "Succeeded" };

/**
 * Whether an ended deployment rolls back (CodeDeploy's autoRollbackConfiguration events). A
 * user's stop can ask for a rollback itself (--auto-rollback-enabled), whatever the group says.
 */
export function rollbackTrigger(config: AutoRollbackConfiguration | null, ending: Ending): string | null {
  const on = (event: AutoRollbackConfiguration["events"][number]) => Boolean(config?.enabled && config.events.includes(event));
  if (ending.status === "Failed") return on("DEPLOYMENT_FAILURE") ? "DEPLOYMENT_FAILURE" : null;
  if (ending.status === "Stopped") {
    if (ending.stop.code === "ALARM_ACTIVE") return on("DEPLOYMENT_STOP_ON_ALARM") ? "DEPLOYMENT_STOP_ON_ALARM" : null;
    const wanted = ending.stop.rollback ?? on("DEPLOYMENT_STOP_ON_REQUEST");
    return wanted ? "DEPLOYMENT_STOP_ON_REQUEST" : null;
  }
  return null;
}

/** What an ended deployment does about a rollback, written in the statement that ends it. */
export type RollbackPlan = {
  /** The hosts a rollback is started on in that same statement (InProgress, its hosts Pending). */
  hosts: HostRow[];
  /** What the end writes for it, at the end's time (`state.complete`): the rollback's row, when there is one. */
  writes(now: Date): EndingWrites;
};

export type HostRow = typeof hosts.$inferSelect;

export type DeploymentRow = typeof deployments.$inferSelect;

const NO_ROLLBACK: RollbackPlan = { hosts: [], writes: () => NO_WRITES };

/**
 * The rollback: a NEW deployment (own id, creator codeDeployRollback) of the group's last
 * successful revision, with that deployment's content option, to every host of the group.
 * Both deployments' rollbackInfo point at each other; with no earlier success there is no
 * rollback and rollbackMessage says why. The lookup happens before the deployment is marked
 * ended; the writes go into the same statement as its end, so the rollback exists the moment
 * the failure is stored.
 */
export async function planRollback(
  db: Db,
  failed: typeof deployments.$inferSelect,
  ending: Ending,
  tagFilters: TagFilter[],
): Promise<RollbackPlan> {
  const failedId = failed.id;
  const trigger = rollbackTrigger(failed.autoRollbackConfiguration, ending);
  if (!trigger) return NO_ROLLBACK;
  // A rollback that fails is not rolled back again: that could loop between two bad revisions.
  if (failed.creator === "codeDeployRollback") return NO_ROLLBACK;

  const [last] = await db
    .select()
    .from(deployments)
    .where(
      and(
        eq(deployments.deploymentGroupId, failed.deploymentGroupId),
        eq(deployments.status, "Succeeded"),
        lt(deployments.createTime, failed.createTime),
      ),
    )
    .orderBy(desc(deployments.createTime))
    .limit(1);

  if (!last) {
    const message = `Automatic rollback (${trigger}) was not performed: the deployment group has no earlier successful deployment to roll back to.`;
    return {
      hosts: [],
      writes: (now) => ({ ...NO_WRITES, rollbackInfo: { rollbackMessage: message }, timeline: [{ deploymentId: failedId, type: "RollbackSkipped", message, at: now }] }),
    };
  }

  const id = newDeploymentId();
  const uri = formatS3Uri(last.revision);
  // Every host of the group now; with none, the rollback starts the usual way and fails there.
  const targets = (await db.select().from(hosts).orderBy(hosts.name)).filter((h) => matchesFilters(h.tags, tagFilters));
  return {
    hosts: targets,
    writes(now) {
      // Every column, so that this object is exactly the row the statement inserts (and the
      // rollback is launched with it, without reading it back).
      const row: DeploymentRow = {
        id,
        status: targets.length ? "InProgress" : "Created",
        createTime: now,
        startTime: targets.length ? now : null,
        completeTime: null,
        errorCode: null,
        errorMessage: null,
        bundleSha256: null,
        applicationId: failed.applicationId,
        deploymentGroupId: failed.deploymentGroupId,
        // Every host at once: a rollback restores the last revision that worked to a fleet that is
        // already failing, so it goes as fast as it can (Slipway's choice; CodeDeploy reuses the
        // group's configuration). The deployment shows the configuration it used.
        deploymentConfigName: ALL_AT_ONCE,
        revision: last.revision,
        previousRevision: failed.revision,
        description: `Rollback of ${failedId} to ${uri}, the revision of ${last.id}`,
        creator: "codeDeployRollback",
        fileExistsBehavior: last.fileExistsBehavior,
        ignoreApplicationStopFailures: failed.ignoreApplicationStopFailures,
        autoRollbackConfiguration: { enabled: false, events: [] },
        // The rollback is the remedy for the alarm that may have triggered it: it must not be
        // stopped by that same alarm, still in ALARM until the good revision is back.
        overrideAlarmConfiguration: { enabled: false, ignorePollAlarmFailure: false, alarms: [] },
        rollbackInfo: {
          rollbackTriggeringDeploymentId: failedId,
          rollbackMessage: `Deployment ${id} is a rollback of ${failedId} (${trigger}) to the revision of ${last.id}.`,
        },
      };
      const started = targets.map((h) => ({ hostId: h.id, targetId: h.name }));
      const timeline: TimelineRow[] = [
        { deploymentId: failedId, type: "RollbackStarted", message: `Rollback started: deployment ${id} redeploys ${uri} (${trigger})`, at: now },
        {
          deploymentId: id,
          type: "DeploymentCreated",
          message: `Rollback deployment created by codeDeployRollback for ${failedId}: redeploys ${uri}, the revision of ${last.id}`,
          at: now,
        },
      ];
      if (targets.length) timeline.push(startedEntry(id, started, now));
      return {
        rollbackInfo: {
          rollbackDeploymentId: id,
          rollbackMessage: `Automatic rollback (${trigger}) started: deployment ${id} redeploys ${uri}, the revision of ${last.id}.`,
        },
        rollback: row,
        targets: started,
        timeline,
      };
    },
  };
}
