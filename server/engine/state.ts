import { and, eq, inArray } from "drizzle-orm";
import {
  deploymentEvents,
  deployments,
  deploymentTargets,
  lifecycleEvents,
  type DeploymentStatus,
  type Diagnostics,
  type TargetStatus,
} from "../../drizzle/schema";
import { LIFECYCLE_EVENTS } from "../appspec/types";
import type { Db, Tx } from "../db/client";
import type { Publisher } from "../realtime/publisher";

/**
 * Every state change of a deployment is written in one transaction with its timeline event,
 * before it is announced, so the database never claims more than happened.
 */
export type TimelineEntry = {
  type: string;
  message: string;
  hostId?: string;
  targetId?: string;
  lifecycleEvent?: string;
};

export async function addTimeline(tx: Tx | Db, deploymentId: string, e: TimelineEntry, at = new Date()) {
  await tx.insert(deploymentEvents).values({ deploymentId, at, ...e });
}

export type TargetRef = { hostId: string; targetId: string };

/** A write that goes into a batch's transaction, and what to announce once it committed. */
export type Change = { write(tx: Tx): Promise<void>; publish(): void };

export function deploymentState(db: Db, publisher: Publisher, deploymentId: string) {
  return {
    /** Created -> InProgress; false when the deployment is no longer Created (stopped meanwhile). */
    async start(targets: TargetRef[]): Promise<boolean> {
      const now = new Date();
      const started = await db.transaction(async (tx) => {
        const rows = await tx
          .update(deployments)
          .set({ status: "InProgress", startTime: now })
          .where(and(eq(deployments.id, deploymentId), eq(deployments.status, "Created")))
          .returning({ id: deployments.id });
        if (!rows.length) return false;
        if (targets.length) {
          await tx.insert(deploymentTargets).values(
            targets.map((t, ordinal) => ({ deploymentId, hostId: t.hostId, targetId: t.targetId, ordinal, status: "Pending" as const })),
          );
          await tx.insert(lifecycleEvents).values(
            targets.flatMap((t) =>
              LIFECYCLE_EVENTS.map((name, ordinal) => ({ deploymentId, hostId: t.hostId, name, ordinal, status: "Pending" as const })),
            ),
          );
        }
        await addTimeline(tx, deploymentId, {
          type: "DeploymentStarted",
          message: `Deployment started on ${targets.length} host(s): ${targets.map((t) => t.targetId).join(", ")}`,
        }, now);
        return true;
      });
      if (started) publisher.deployment(deploymentId, { status: "InProgress" });
      return started;
    },

    /**
     * A host's status change, written by the progress writer (`write`, inside its batch's
     * transaction) and announced after that commits (`publish`). `at` is when it happened.
     */
    target(t: TargetRef, status: TargetStatus, message?: string, at = new Date()): Change {
      return {
        async write(tx) {
          await tx
            .update(deploymentTargets)
            .set({ status, lastUpdatedAt: at })
            .where(and(eq(deploymentTargets.deploymentId, deploymentId), eq(deploymentTargets.hostId, t.hostId)));
          await addTimeline(tx, deploymentId, {
            type: `Target${status}`,
            message: message ?? `${t.targetId}: ${status}`,
            hostId: t.hostId,
            targetId: t.targetId,
          }, at);
        },
        publish: () => publisher.target(deploymentId, { ...t, status }),
      };
    },

    /** A lifecycle event's status change on one host, as `target`. */
    event(t: TargetRef, name: string, status: TargetStatus, diagnostics?: Diagnostics, at = new Date()): Change {
      const set =
        status === "InProgress"
          ? { status, startTime: at }
          : status === "Skipped"
            ? { status }
            : { status, endTime: at, diagnostics: diagnostics ?? null };
      return {
        async write(tx) {
          await tx
            .update(lifecycleEvents)
            .set(set)
            .where(
              and(
                eq(lifecycleEvents.deploymentId, deploymentId),
                eq(lifecycleEvents.hostId, t.hostId),
                eq(lifecycleEvents.name, name),
              ),
            );
          // Skipped events are implied by the failure before them; keep the timeline readable.
          if (status !== "Skipped" && status !== "Succeeded")
            await addTimeline(tx, deploymentId, {
              type: `LifecycleEvent${status}`,
              message:
                status === "Failed"
                  ? `${t.targetId}: ${name} failed: ${diagnostics?.message ?? "unknown error"}`
                  : `${t.targetId}: ${name} started`,
              hostId: t.hostId,
              targetId: t.targetId,
              lifecycleEvent: name,
            }, at);
        },
        publish: () => publisher.lifecycle(deploymentId, { ...t, lifecycleEventName: name, status }),
      };
    },

    /** Hosts that never started (after a failure or a stop) end Skipped, with all their events. */
    async skipRemaining(hostIds: string[]) {
      if (!hostIds.length) return;
      await db.transaction(async (tx) => {
        await tx
          .update(deploymentTargets)
          .set({ status: "Skipped", lastUpdatedAt: new Date() })
          .where(and(eq(deploymentTargets.deploymentId, deploymentId), inArray(deploymentTargets.hostId, hostIds)));
        await tx
          .update(lifecycleEvents)
          .set({ status: "Skipped" })
          .where(and(eq(lifecycleEvents.deploymentId, deploymentId), inArray(lifecycleEvents.hostId, hostIds)));
      });
    },

    /** The deployment's end; `also` writes in the same transaction (the rollback it starts). */
    async complete(
      status: Extract<DeploymentStatus, "Succeeded" | "Failed" | "Stopped">,
      error?: { code: string; message: string },
      also?: (tx: Tx) => Promise<void>,
    ) {
      const now = new Date();
      await db.transaction(async (tx) => {
        await tx
          .update(deployments)
          .set({ status, completeTime: now, errorCode: error?.code ?? null, errorMessage: error?.message ?? null })
          .where(eq(deployments.id, deploymentId));
        await addTimeline(tx, deploymentId, {
          type: `Deployment${status}`,
          message: error ? `Deployment ${status.toLowerCase()}: ${error.code}: ${error.message}` : `Deployment ${status.toLowerCase()}`,
        }, now);
        await also?.(tx);
      });
      publisher.deployment(deploymentId, { status, errorCode: error?.code, errorMessage: error?.message });
    },
  };
}
export type DeploymentState = ReturnType<typeof deploymentState>;
