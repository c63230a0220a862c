import { and, asc, eq, inArray } from "drizzle-orm";
import { ACTIVE_STATUSES, deployments, deploymentTargets, lifecycleEvents } from "../../drizzle/schema";
import path from "node:path";
import { createConnectionPool } from "../host/connection-pool";
import type { BucketStore } from "../revisions/bucket-store";
import { createRevisionCache } from "./prepare-revision";
import { createRunControl, type RunControl, type StopRequest } from "./control";
import { addTimeline } from "./state";
import { runDeployment, type RunDeps, type StartedRollback } from "./run-deployment";

export type Engine = {
  /** Picks up Created deployments; safe to call any number of times. */
  kick(): void;
  /** Resolves when the deployment has ended (or at once when it is not running here). */
  settled(deploymentId: string): Promise<void>;
  isRunning(deploymentId: string): boolean;
  /** Asks a running deployment to stop; false when it is not running in this process. */
  stop(deploymentId: string, request: StopRequest): boolean;
  /** The SSH connections kept open after deployments: where to, and closing them. */
  idleConnections(): { address: string; port: number }[];
  closeIdleConnections(): void;
  /** Fails what a previous process left InProgress, then starts Created deployments. */
  start(): Promise<void>;
  shutdown(): Promise<void>;
};

const RESTART_MESSAGE =
  "Slipway stopped while this deployment was in progress; it was failed on the next start. Check the hosts' state before deploying again.";

export type EngineDeps = Pick<RunDeps, "db" | "secrets" | "publisher"> & { store: BucketStore; dataDir: string };

export function createEngine(base: EngineDeps): Engine {
  const deps: RunDeps = {
    db: base.db,
    secrets: base.secrets,
    publisher: base.publisher,
    pool: createConnectionPool(),
    revisions: createRevisionCache(base.store, path.join(base.dataDir, "cache", "revisions")),
  };
  const running = new Map<string, { promise: Promise<void>; control: RunControl }>();
  let scanning: Promise<void> | null = null;
  let again = false;
  let closed = false;

  async function scan() {
    do {
      again = false;
      const created = await deps.db
        .select({ id: deployments.id })
        .from(deployments)
        .where(eq(deployments.status, "Created"))
        .orderBy(asc(deployments.createTime));
      for (const { id } of created) launch(id);
    } while (again && !closed);
  }

  /**
   * Runs a Created deployment here. A rollback it starts (already InProgress on its hosts, when
   * it has any) is launched at once with the rows the run wrote, without a scan or a read.
   */
  function launch(id: string, started?: StartedRollback) {
    if (closed || running.has(id)) return;
    const control = createRunControl();
    const promise = runDeployment(deps, id, control, started)
      .then((next) => {
        if (next) launch(next.loaded.d.id, next);
      })
      .catch(async (err: Error) => {
        console.error(`deployment ${id} crashed:`, err);
        await failLeftovers([id], `Slipway hit an internal error: ${err.message}`).catch(() => {});
      })
      .finally(() => running.delete(id));
    running.set(id, { promise, control });
  }

  /** Nothing stays InProgress: deployments, their hosts and events end Failed with a reason. */
  async function failLeftovers(ids: string[], message: string) {
    if (!ids.length) return;
    const now = new Date();
    await deps.db.transaction(async (tx) => {
      await tx
        .update(deployments)
        .set({ status: "Failed", completeTime: now, errorCode: "INTERNAL_ERROR", errorMessage: message })
        .where(and(inArray(deployments.id, ids), inArray(deployments.status, [...ACTIVE_STATUSES])));
      await tx
        .update(deploymentTargets)
        .set({ status: "Failed", lastUpdatedAt: now })
        .where(and(inArray(deploymentTargets.deploymentId, ids), eq(deploymentTargets.status, "InProgress")));
      await tx
        .update(deploymentTargets)
        .set({ status: "Skipped", lastUpdatedAt: now })
        .where(and(inArray(deploymentTargets.deploymentId, ids), eq(deploymentTargets.status, "Pending")));
      await tx
        .update(lifecycleEvents)
        .set({ status: "Failed", endTime: now })
        .where(and(inArray(lifecycleEvents.deploymentId, ids), eq(lifecycleEvents.status, "InProgress")));
      await tx
        .update(lifecycleEvents)
        .set({ status: "Skipped" })
        .where(and(inArray(lifecycleEvents.deploymentId, ids), eq(lifecycleEvents.status, "Pending")));
      for (const id of ids) await addTimeline(tx, id, { type: "DeploymentFailed", message }, now);
    });
    for (const id of ids) deps.publisher.deployment(id, { status: "Failed", errorCode: "INTERNAL_ERROR", errorMessage: message });
  }

  const engine: Engine = {
    kick() {
      if (closed) return;
      if (scanning) {
        again = true;
        return;
      }
      scanning = scan()
        .catch((err) => console.error("engine scan failed:", err))
        .finally(() => (scanning = null));
    },
    async settled(id) {
      await scanning;
      await running.get(id)?.promise;
    },
    isRunning: (id) => running.has(id),
    stop: (id, request) => running.get(id)?.control.stop(request) ?? false,
    idleConnections: () => deps.pool.idle(),
    closeIdleConnections: () => deps.pool.closeAll(),
    async start() {
      const left = await deps.db
        .select({ id: deployments.id })
        .from(deployments)
        .where(inArray(deployments.status, ["InProgress", "Queued"]));
      await failLeftovers(
        left.map((r) => r.id),
        RESTART_MESSAGE,
      );
      engine.kick();
    },
    async shutdown() {
      closed = true;
      await scanning;
      for (const r of running.values())
        r.control.stop({ code: "MANUAL_STOP", message: "Slipway is shutting down; the deployment was stopped.", rollback: false });
      await Promise.allSettled([...running.values()].map((r) => r.promise));
      deps.pool.closeAll();
      deps.revisions.clear();
    },
  };
  return engine;
}
