import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import {
  deploymentEvents,
  deployments,
  deploymentTargets,
  lifecycleEvents,
  type DeploymentStatus,
  type Diagnostics,
  type RollbackInfo,
  type TargetStatus,
} from "../../drizzle/schema";
import { LIFECYCLE_EVENTS } from "../appspec/types";
import type { Db, Tx } from "../db/client";
import type { Publisher } from "../realtime/publisher";
import type { DeploymentRow, RollbackPlan } from "./rollback";

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

/** A timeline row of some deployment, for writing several deployments' entries in one INSERT. */
export type TimelineRow = TimelineEntry & { deploymentId: string; at: Date };

/** A deployment's hosts, all Pending. */
const targetRows = (deploymentId: string, targets: TargetRef[]) =>
  targets.map((t, ordinal) => ({ deploymentId, hostId: t.hostId, targetId: t.targetId, ordinal, status: "Pending" as const }));

/** Their lifecycle events, all Pending. */
const eventRows = (deploymentId: string, targets: TargetRef[]) =>
  targets.flatMap((t) => LIFECYCLE_EVENTS.map((name, ordinal) => ({ deploymentId, hostId: t.hostId, name, ordinal, status: "Pending" as const })));

/** The timeline's start of a deployment started on these hosts. */
export function startedEntry(deploymentId: string, targets: TargetRef[], now: Date): TimelineRow {
  return {
    deploymentId,
    type: "DeploymentStarted",
    message: `Deployment started on ${targets.length} host(s): ${targets.map((t) => t.targetId).join(", ")}`,
    at: now,
  };
}

/** A deployment's hosts and their lifecycle events, all Pending, and the timeline's start. */
async function recordStart(tx: Tx, deploymentId: string, targets: TargetRef[], now: Date) {
  if (targets.length) {
    await tx.insert(deploymentTargets).values(targetRows(deploymentId, targets));
    await tx.insert(lifecycleEvents).values(eventRows(deploymentId, targets));
  }
  await tx.insert(deploymentEvents).values(startedEntry(deploymentId, targets, now));
}

/**
 * What a deployment's end writes besides its own row and timeline entry: the rollback it starts
 * (its row, and its hosts and their events when it starts on them at once) and timeline entries.
 */
export type EndingWrites = { rollbackInfo: RollbackInfo | null; rollback: DeploymentRow | null; targets: TargetRef[]; timeline: TimelineRow[] };

export const NO_WRITES: EndingWrites = { rollbackInfo: null, rollback: null, targets: [], timeline: [] };

/**
 * A progress change, as data so that a batch of them is written with a few statements (see
 * `writeChanges`), and what to announce once it committed. `write` is for anything else.
 */
export type Change = {
  event?: { hostId: string; name: string; status: TargetStatus; at: Date; diagnostics?: Diagnostics };
  target?: { hostId: string; status: TargetStatus; at: Date };
  timeline?: TimelineEntry & { at: Date };
  write?(tx: Tx): Promise<void>;
  publish(): void;
};

/**
 * One batch of changes in one transaction, whatever its size: the lifecycle events' final states
 * in one UPDATE, the hosts' in another, the timeline in one INSERT, in the order they happened
 * (an event started and ended within the batch keeps both times).
 */
export async function writeChanges(tx: Tx, deploymentId: string, changes: readonly Change[]) {
  type EventState = { hostId: string; name: string; status: TargetStatus; start: Date | null; end: Date | null; diagnostics: Diagnostics | null; ended: boolean };
  const events = new Map<string, EventState>();
  const targets = new Map<string, { status: TargetStatus; at: Date }>();
  const timeline: (TimelineEntry & { at: Date })[] = [];
  for (const c of changes) {
    if (c.event) {
      const { hostId, name, status, at } = c.event;
      const key = `${hostId}\0${name}`;
      const e = events.get(key) ?? { hostId, name, status, start: null, end: null, diagnostics: null, ended: false };
      e.status = status;
      if (status === "InProgress") e.start = at;
      else if (status !== "Skipped") {
        e.end = at;
        e.diagnostics = c.event.diagnostics ?? null;
        e.ended = true;
      }
      events.set(key, e);
    }
    if (c.target) targets.set(c.target.hostId, { status: c.target.status, at: c.target.at });
    if (c.timeline) timeline.push(c.timeline);
  }
  if (events.size) {
    const rows = [...events.values()].map(
      (e) =>
        sql`(${e.hostId}::uuid, ${e.name}::text, ${e.status}::text, ${e.start?.toISOString() ?? null}::timestamptz, ${e.end?.toISOString() ?? null}::timestamptz, ${e.diagnostics ? JSON.stringify(e.diagnostics) : null}::jsonb, ${e.ended}::boolean)`,
    );
    await tx.execute(sql`
      UPDATE ${lifecycleEvents} AS e
      SET status = v.status,
          start_time = COALESCE(v.start_time, e.start_time),
          end_time = COALESCE(v.end_time, e.end_time),
          diagnostics = CASE WHEN v.ended THEN v.diagnostics ELSE e.diagnostics END
      FROM (VALUES ${sql.join(rows, sql`, `)}) AS v(host_id, name, status, start_time, end_time, diagnostics, ended)
      WHERE e.deployment_id = ${deploymentId} AND e.host_id = v.host_id AND e.name = v.name`);
  }
  if (targets.size) {
    const rows = [...targets].map(([hostId, t]) => sql`(${hostId}::uuid, ${t.status}::text, ${t.at.toISOString()}::timestamptz)`);
    await tx.execute(sql`
      UPDATE ${deploymentTargets} AS t
      SET status = v.status, updated_at = v.at
      FROM (VALUES ${sql.join(rows, sql`, `)}) AS v(host_id, status, at)
      WHERE t.deployment_id = ${deploymentId} AND t.host_id = v.host_id`);
  }
  if (timeline.length) await tx.insert(deploymentEvents).values(timeline.map((e) => ({ deploymentId, ...e })));
  for (const c of changes) await c.write?.(tx);
}

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
        await recordStart(tx, deploymentId, targets, now);
        return true;
      });
      if (started) publisher.deployment(deploymentId, { status: "InProgress" });
      return started;
    },

    /** A host's status change, for the progress writer; `at` is when it happened. */
    target(t: TargetRef, status: TargetStatus, message?: string, at = new Date()): Change {
      return {
        target: { hostId: t.hostId, status, at },
        timeline: { type: `Target${status}`, message: message ?? `${t.targetId}: ${status}`, hostId: t.hostId, targetId: t.targetId, at },
        publish: () => publisher.target(deploymentId, { ...t, status }),
      };
    },

    /** A lifecycle event's status change on one host, as `target`. */
    event(t: TargetRef, name: string, status: TargetStatus, diagnostics?: Diagnostics, at = new Date()): Change {
      return {
        event: { hostId: t.hostId, name, status, at, diagnostics },
        // Skipped and Succeeded events are implied by the timeline around them; keep it readable.
        timeline:
          status === "Skipped" || status === "Succeeded"
            ? undefined
            : {
                type: `LifecycleEvent${status}`,
                message: status === "Failed" ? `${t.targetId}: ${name} failed: ${diagnostics?.message ?? "unknown error"}` : `${t.targetId}: ${name} started`,
                hostId: t.hostId,
                targetId: t.targetId,
                lifecycleEvent: name,
                at,
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

    /**
     * The deployment's end, and with it what it does about a rollback (`RollbackPlan`), as ONE
     * statement (atomic by itself): the deployment's row (status and rollbackInfo), the rollback
     * deployment with its hosts and their events, and every timeline entry of both, as
     * data-modifying parts of a WITH (foreign keys are checked when the statement ends). Returns
     * what it wrote besides the deployment's own end.
     */
    async complete(
      status: Extract<DeploymentStatus, "Succeeded" | "Failed" | "Stopped">,
      error?: { code: string; message: string },
      rollback?: Pick<RollbackPlan, "writes">,
    ): Promise<EndingWrites> {
      const now = new Date();
      const w = rollback?.writes(now) ?? NO_WRITES;
      const ended: TimelineRow = {
        deploymentId,
        type: `Deployment${status}`,
        message: error ? `Deployment ${status.toLowerCase()}: ${error.code}: ${error.message}` : `Deployment ${status.toLowerCase()}`,
        at: now,
      };
      const parts: SQL[] = [
        sql`ended_row AS ${db
          .update(deployments)
          .set({
            status,
            completeTime: now,
            errorCode: error?.code ?? null,
            errorMessage: error?.message ?? null,
            ...(w.rollbackInfo ? { rollbackInfo: w.rollbackInfo } : {}),
          })
          .where(eq(deployments.id, deploymentId))
          .returning({ id: deployments.id })}`,
      ];
      if (w.rollback) {
        const id = w.rollback.id;
        parts.push(sql`rollback_row AS ${db.insert(deployments).values(w.rollback).returning({ id: deployments.id })}`);
        if (w.targets.length)
          parts.push(
            sql`rollback_targets AS ${db.insert(deploymentTargets).values(targetRows(id, w.targets)).returning({ id: deploymentTargets.hostId })}`,
            sql`rollback_events AS ${db.insert(lifecycleEvents).values(eventRows(id, w.targets)).returning({ id: lifecycleEvents.hostId })}`,
          );
      }
      parts.push(sql`timeline_rows AS ${db.insert(deploymentEvents).values([ended, ...w.timeline]).returning({ id: deploymentEvents.id })}`);
      await db.execute(sql`WITH ${sql.join(parts, sql`, `)} SELECT 1`);
      publisher.deployment(deploymentId, { status, errorCode: error?.code, errorMessage: error?.message });
      return w;
    },
  };
}
export type DeploymentState = ReturnType<typeof deploymentState>;
