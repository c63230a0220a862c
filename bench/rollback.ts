// The rollback scenario: a good revision, a bad one whose failure makes Slipway roll back by
// itself, and a fresh deployment of the same files to compare the rollback's time with.
import { eq } from "drizzle-orm";
import { deployments } from "../drizzle/schema";
import type { Backend } from "../test/support/backend";
import { APP, BUCKET, ROLLBACK_TARGET, type RollbackScenario } from "./config";
import type { Rev, RevVariant } from "./revision";
import { dropPooledConnections, eventMedians, slipwayDeploy, targetTimes, type SlipwayRun } from "./slipway";
import { median, round, stat } from "./stats";

export type RollbackRun = {
  /** The good revision R1, deployed first (connections as the pool left them: informational). */
  good: SlipwayRun;
  failedId: string;
  rollbackId: string;
  /** failed deployment's completeTime -> rollback's completeTime: the figure. */
  ms: number;
  /** The same two instants, epoch ms. */
  window: [number, number];
  /** failed completeTime -> rollback createTime (the engine deciding and creating the rollback). */
  triggerMs: number;
  /** rollback createTime -> its first lifecycle event; last event -> its completeTime. */
  pickupMs: number;
  wrapUpMs: number;
  /** The failing ApplicationStart's end -> the failed deployment's completeTime. */
  failureToCompleteMs: number;
  rollbackConfig: string;
  targets: ReturnType<typeof targetTimes>;
  /** A fresh deployment of R1's files under a new key (new sha256), cold connections, OneAtATime. */
  fresh: SlipwayRun;
  freshFirst: boolean;
};

/**
 * One rollback turn on a group with autoRollbackConfiguration {enabled, [DEPLOYMENT_FAILURE]}:
 * R1 (good) -> Succeeded; R2 (ApplicationStart exits 1) -> Failed on the first host, the others
 * Skipped; the rollback Slipway starts by itself -> Succeeded, reusing R1's bundle on every host.
 * And, in the same turn, before R1 or after the rollback (alternating), the fresh deployment:
 * R1's files with another NONCE, so no host holds its bundle, after the pooled connections were
 * closed, so it pays the handshake a deployment normally pays.
 */
export async function rollbackTurn(b: Backend, group: string, hosts: number, ports: readonly number[], build: (v?: RevVariant) => Rev, freshFirst: boolean): Promise<RollbackRun> {
  const good = build();
  const bad = build("bad");
  const freshRev = build("fresh");
  const fresh = async () => {
    await dropPooledConnections(b, ports);
    const run = await slipwayDeploy(b, group, hosts, freshRev, ports);
    if (run.warmHosts !== 0) throw new Error("the fresh deployment found pooled connections");
    return run;
  };
  const freshEarly = freshFirst ? await fresh() : null;
  const goodRun = await slipwayDeploy(b, group, hosts, good, ports);

  await b.app.ctx.store.put(BUCKET, bad.key, bad.zip);
  const { deploymentId: failedId } = await b.caller.deployments.create({
    applicationName: APP,
    deploymentGroupName: group,
    revision: { bucket: BUCKET, key: bad.key, bundleType: "zip" },
    fileExistsBehavior: "OVERWRITE",
  });
  await b.app.ctx.engine.settled(failedId);
  // The rollback is running now: the harness reads only its id (one query) and checks both
  // deployments once it is over, so that its own API calls do not share the event loop and the
  // database with the rollback it measures (a fresh deployment's run has none either).
  const [row] = await b.app.ctx.db.select({ info: deployments.rollbackInfo }).from(deployments).where(eq(deployments.id, failedId));
  const rollbackId = row?.info?.rollbackDeploymentId;
  if (rollbackId) await b.app.ctx.engine.settled(rollbackId);
  const { deploymentInfo: failed } = await b.caller.deployments.get({ deploymentId: failedId });
  const failedTargets = await b.caller.deployments.targets({ deploymentId: failedId });
  const failedAt = failedTargets[0]?.lifecycleEvents.find((e) => e.status === "Failed");
  if (
    failed.status !== "Failed" ||
    failedAt?.lifecycleEventName !== "ApplicationStart" ||
    failedTargets.slice(1).some((t) => t.status !== "Skipped") ||
    !rollbackId
  )
    throw new Error(
      `bad revision ${failedId} on ${group}: expected Failed at ApplicationStart on the first host, the others Skipped, and a rollback; ` +
        `got ${failed.status}, ${failedTargets.map((t) => `${t.targetId} ${t.status}`).join(", ")}, rollback ${rollbackId ?? "none"}: ${failed.rollbackInfo?.rollbackMessage ?? ""}`,
    );

  const { deploymentInfo: rb } = await b.caller.deployments.get({ deploymentId: rollbackId });
  const rbTargets = await b.caller.deployments.targets({ deploymentId: rollbackId });
  if (rb.status !== "Succeeded" || rb.creator !== "codeDeployRollback" || rbTargets.length !== hosts || rbTargets.some((t) => t.status !== "Succeeded"))
    throw new Error(`rollback ${rollbackId} of ${failedId}: ${rb.status} by ${rb.creator} on ${rbTargets.map((t) => `${t.targetId} ${t.status}`).join(", ")}`);
  if (rb.revision.s3Location.key !== good.key) throw new Error(`rollback ${rollbackId} redeployed ${rb.revision.s3Location.key}, not ${good.key}`);
  // Every host reused R1's bundle (no transfer): what makes a rollback a rollback here.
  const logs = await b.caller.deployments.logs({ deploymentId: rollbackId });
  const reusedOn = new Set(
    logs.filter((l) => l.event === "DownloadBundle" && l.text.startsWith(`Reused the bundle kept on this host from ${goodRun.deploymentId}`)).map((l) => l.targetId),
  );
  if (reusedOn.size !== hosts) throw new Error(`rollback ${rollbackId} reused R1's bundle on ${reusedOn.size} of ${hosts} host(s)`);

  const targets = targetTimes(rbTargets);
  const failedComplete = failed.completeTime! * 1000;
  const run: Omit<RollbackRun, "fresh"> = {
    good: goodRun,
    failedId,
    rollbackId,
    ms: rb.completeTime! * 1000 - failedComplete,
    window: [failedComplete, rb.completeTime! * 1000],
    triggerMs: rb.createTime * 1000 - failedComplete,
    pickupMs: Math.min(...targets.map((t) => t.startMs)) - rb.createTime * 1000,
    wrapUpMs: rb.completeTime! * 1000 - Math.max(...targets.map((t) => t.endMs)),
    failureToCompleteMs: failedComplete - failedAt.endTime! * 1000,
    rollbackConfig: rb.deploymentConfigName,
    targets,
    freshFirst,
  };
  return { ...run, fresh: freshEarly ?? (await fresh()) };
}

/** The figures for one rollback scenario over its measured turns: medians, ratio, verdict, breakdown. */
export function summarizeRollback(s: RollbackScenario, runs: RollbackRun[]) {
  const rb = runs.map((r) => r.ms);
  const fresh = runs.map((r) => r.fresh.storedMs);
  const warm = runs.map((r) => r.good.storedMs);
  const ratio = median(rb) / median(fresh);
  const rbHosts = runs.flatMap((r) => r.targets);
  const freshHosts = runs.flatMap((r) => r.fresh.targets);
  const freshGaps = runs.flatMap((r) => r.fresh.targets.slice(1).map((t, i) => t.startMs - r.fresh.targets[i].endMs));
  return {
    scenario: s.name,
    hosts: s.hosts,
    runs: runs.length,
    groupConfig: "CodeDeployDefault.OneAtATime",
    rollbackConfig: [...new Set(runs.map((r) => r.rollbackConfig))].join(", "),
    rollbackMs: rb.map((x) => round(x)),
    freshMs: fresh.map((x) => round(x)),
    rollback: stat(rb),
    fresh: stat(fresh),
    ratio: round(ratio, 2),
    /** Informational: the median of each turn's own rollback / fresh (the two ran seconds apart). */
    pairedRatioMedian: round(median(runs.map((r) => r.ms / r.fresh.storedMs)), 2),
    target: ROLLBACK_TARGET,
    verdict: (ratio <= ROLLBACK_TARGET ? "PASS" : "MISS") as "PASS" | "MISS",
    /** Informational: R1, a fresh deployment (new bundle) on the connections the pool still held. */
    freshWarm: { ...stat(warm), runsMs: warm.map((x) => round(x)), ratio: round(median(rb) / median(warm), 2), warmHostsMedian: median(runs.map((r) => r.good.warmHosts)) },
    breakdown: {
      failingEventEndToFailedCompleteMs: round(median(runs.map((r) => r.failureToCompleteMs))),
      rollback: {
        failedCompleteToRollbackCreateMs: round(median(runs.map((r) => r.triggerMs))),
        createToFirstEventMs: round(median(runs.map((r) => r.pickupMs))),
        perHostEventMedianMs: eventMedians(rbHosts),
        perHostFirstStartToLastEndMs: round(median(rbHosts.map((h) => h.endMs - h.startMs))),
        /** All hosts together: the first host's first event start -> the last host's last event end. */
        hostsSpanMs: round(median(runs.map((r) => Math.max(...r.targets.map((t) => t.endMs)) - Math.min(...r.targets.map((t) => t.startMs))))),
        lastEventToCompleteMs: round(median(runs.map((r) => r.wrapUpMs))),
      },
      fresh: {
        createToFirstEventMs: round(median(runs.map((r) => r.fresh.pickupMs))),
        perHostEventMedianMs: eventMedians(freshHosts),
        perHostFirstStartToLastEndMs: round(median(freshHosts.map((h) => h.endMs - h.startMs))),
        hostsSpanMs: round(median(runs.map((r) => Math.max(...r.fresh.targets.map((t) => t.endMs)) - Math.min(...r.fresh.targets.map((t) => t.startMs))))),
        betweenHostsGapMs: freshGaps.length ? round(median(freshGaps)) : null,
        lastEventToCompleteMs: round(median(runs.map((r) => r.fresh.wrapUpMs))),
      },
    },
  };
}

export type RollbackResult = ReturnType<typeof summarizeRollback>;
