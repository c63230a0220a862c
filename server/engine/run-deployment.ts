import { and, desc, eq, isNotNull, ne } from "drizzle-orm";
import { applications, deploymentGroups, deployments, hosts, type AlarmConfiguration } from "../../drizzle/schema";
import { watchAlarms } from "../alarms/monitor";
import type { Db } from "../db/client";
import type { ConnectionPool } from "../host/connection-pool";
import type { PreparedRevision } from "../host/prepared-revision";
import type { SecretBox } from "../lib/secrets";
import type { Publisher } from "../realtime/publisher";
import { sleep, type RunControl } from "./control";
import { deployHost, type FirstFailure } from "./deploy-host";
import { createProgressWriter } from "./progress-writer";
import type { RevisionCache } from "./prepare-revision";
import { planRollback, type DeploymentRow, type Ending, type HostRow, type RollbackPlan } from "./rollback";
import { addTimeline, deploymentState, type EndingWrites } from "./state";
import { matchesFilters } from "./tag-filters";
import { ALL_AT_ONCE, allAtOnceVerdict, finalVerdict, shouldContinue, type HostResult } from "./verdict";

export type RunDeps = {
  db: Db;
  secrets: SecretBox;
  publisher: Publisher;
  pool: ConnectionPool;
  revisions: RevisionCache;
};

/** Hosts deployed at the same time under AllAtOnce: SSH crypto and the database share one thread. */
const MAX_PARALLEL_HOSTS = 16;

/** Like Promise.all over `items`, with at most `limit` running at once; results keep their order. */
async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const HEALTH_CONSTRAINTS_MESSAGE =
  "The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.";

/** A deployment with its group and application, as a run needs them. */
type LoadedDeployment = { d: DeploymentRow; g: typeof deploymentGroups.$inferSelect; a: typeof applications.$inferSelect };

/**
 * A rollback written by the statement that ended the deployment it rolls back: its rows, and the
 * hosts it was started on there (none: it is still Created and starts the usual way).
 */
export type StartedRollback = { loaded: LoadedDeployment; hosts: HostRow[] };

/**
 * Runs one deployment from Created to its end: resolves the group's hosts from its tag
 * filters, deploys host by host (OneAtATime) or all at once while the group's alarms are
 * watched, bakes, decides the verdict, and starts a rollback when the configuration says so.
 * Returns the rollback it started; `started` is that rollback, when this run is one.
 */
export async function runDeployment(deps: RunDeps, deploymentId: string, control: RunControl, started?: StartedRollback): Promise<StartedRollback | null> {
  const { db, publisher } = deps;
  const [row] = started
    ? [started.loaded]
    : await db
        .select({ d: deployments, g: deploymentGroups, a: applications })
        .from(deployments)
        .innerJoin(deploymentGroups, eq(deploymentGroups.id, deployments.deploymentGroupId))
        .innerJoin(applications, eq(applications.id, deployments.applicationId))
        .where(eq(deployments.id, deploymentId));
  if (!row) return null;
  const { d, g, a } = row;
  const state = deploymentState(db, publisher, deploymentId);

  // The rollback a deployment starts, with the rows its end wrote.
  const rollbackOf = (plan: RollbackPlan, w: EndingWrites): StartedRollback | null =>
    w.rollback ? { loaded: { d: w.rollback, g, a }, hosts: plan.hosts } : null;

  let targets: HostRow[];
  if (started?.hosts.length) {
    targets = started.hosts;
    publisher.deployment(deploymentId, { status: "InProgress" });
  } else {
    const allHosts = await db.select().from(hosts).orderBy(hosts.name);
    targets = allHosts.filter((h) => matchesFilters(h.tags, g.onPremisesTagFilters));
    if (!(await state.start(targets.map((h) => ({ hostId: h.id, targetId: h.name }))))) return null;
  }
  if (!targets.length) {
    const rollback = await planRollback(db, d, { status: "Failed" }, g.onPremisesTagFilters);
    const w = await state.complete(
      "Failed",
      {
        code: "NO_INSTANCES",
        message: `The deployment failed because no instances were found for your deployment group "${g.name}": no registered host matches its tag filters.`,
      },
      rollback,
    );
    return rollbackOf(rollback, w);
  }

  const alarmConfig: AlarmConfiguration = d.overrideAlarmConfiguration ?? g.alarmConfiguration;
  const alarms = watchAlarms(deps, {
    deploymentId,
    config: alarmConfig,
    hosts: targets,
    onAlarm: ({ alarmName, message }) => {
      if (control.stop({ code: "ALARM_ACTIVE", message: `Alarm "${alarmName}" is in ALARM: ${message}` }))
        void addTimeline(db, deploymentId, { type: "AlarmActivated", message: `Alarm "${alarmName}" went into ALARM: ${message}` });
    },
    onPollFailure: ({ alarmName, message }) => {
      if (control.stop({ code: "ALARM_ACTIVE", message: `The state of alarm "${alarmName}" could not be read: ${message}` }))
        void addTimeline(db, deploymentId, { type: "AlarmPollFailed", message: `Alarm "${alarmName}" could not be evaluated: ${message}` });
    },
  });

  const progress = createProgressWriter(db, publisher, deploymentId);
  let prepared: Promise<PreparedRevision> | null = null;
  const revision = () =>
    (prepared ??= deps.revisions.get(d.revision).then(async (r) => {
      await db.update(deployments).set({ bundleSha256: r.sha256 }).where(eq(deployments.id, deploymentId));
      return r;
    }));
  // Earlier deployments of this group with the same bundle: a host may still hold their bundle.tar.
  let earlier: Promise<string[]> | null = null;
  const reusable = () => (earlier ??= sameBundle());
  const sameBundle = async () => {
    const r = await revision();
    const rows = await db
      .select({ id: deployments.id })
      .from(deployments)
      .where(and(eq(deployments.deploymentGroupId, g.id), eq(deployments.bundleSha256, r.sha256), ne(deployments.id, deploymentId), isNotNull(deployments.startTime)))
      .orderBy(desc(deployments.createTime))
      .limit(5);
    return rows.map((x) => x.id);
  };

  const results: HostResult[] = [];
  let firstFailure: FirstFailure | null = null;
  const wrapUps: Promise<void>[] = [];
  const allAtOnce = d.deploymentConfigName === ALL_AT_ONCE;
  const verdict = () => (allAtOnce ? allAtOnceVerdict(results) : finalVerdict(results, targets.length));
  const deploy = (host: (typeof targets)[number]) =>
    deployHost({
      secrets: deps.secrets,
      pool: deps.pool,
      state,
      progress,
      host,
      deployment: d,
      names: { applicationName: a.name, deploymentGroupName: g.name },
      revision,
      reusable,
      signal: control.signal,
      onFailure: (f) => (firstFailure ??= f),
      onWrapUp: (p) => wrapUps.push(p),
    });
  try {
    if (allAtOnce) {
      results.push(...(await mapBounded(targets, MAX_PARALLEL_HOSTS, deploy)));
    } else {
      for (const host of targets) {
        if (control.signal.aborted) break;
        results.push(await deploy(host));
        if (!shouldContinue(results, targets.length)) break;
      }
    }
    if (g.bakeTimeSeconds > 0 && alarmConfig.enabled && !control.signal.aborted && verdict() === "Succeeded") {
      // Every host's end is stored before the bake is announced.
      await Promise.all([...wrapUps, progress.drain().catch(() => {})]); // a failure is reported below
      await addTimeline(db, deploymentId, { type: "BakeStarted", message: `Watching alarms for a bake time of ${g.bakeTimeSeconds} s` });
      await sleep(g.bakeTimeSeconds * 1000, control.signal);
    }
  } finally {
    await alarms.stop();
    await Promise.all([
      ...wrapUps,
      progress.drain().catch((err) => console.error(`deployment ${deploymentId}: a progress write failed:`, err)),
    ]);
  }

  await state.skipRemaining(targets.slice(results.length).map((h) => h.id));
  const ending = decide(control, verdict(), firstFailure);
  const rollback = await planRollback(db, d, ending, g.onPremisesTagFilters);
  return rollbackOf(rollback, await state.complete(ending.status, ending.error, rollback));
}

function decide(control: RunControl, verdict: HostResult, f: FirstFailure | null): Ending & { error?: { code: string; message: string } } {
  const stop = control.stopRequest();
  if (stop) return { status: "Stopped", stop, error: { code: stop.code, message: stop.message } };
  if (verdict === "Succeeded") return { status: "Succeeded" };
  return {
    status: "Failed",
    error: {
      code: "HEALTH_CONSTRAINTS",
      message: f ? `${HEALTH_CONSTRAINTS_MESSAGE} ${f.target} failed at ${f.event}: ${f.message}` : HEALTH_CONSTRAINTS_MESSAGE,
    },
  };
}
