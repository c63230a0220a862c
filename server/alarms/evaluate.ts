import { and, desc, eq, lt } from "drizzle-orm";
import { alarmResults, alarms, type hosts } from "../../drizzle/schema";
import type { AppContext } from "../context";
import { hostAccess, type HostAccess } from "../host/connection";
import { nextAlarmState, type Evaluation, type NextAlarmStatus } from "./alarm-state";
import { runCommandCheck, runHttpCheck, type CheckHost, type TargetResult } from "./checks";

export type AlarmRow = typeof alarms.$inferSelect;

/** How many results each alarm keeps; older ones are deleted as new ones arrive. */
export const RESULTS_KEPT = 200;

export type EvaluateOptions = {
  /** The deployment being watched, stored with each result. */
  deploymentId?: string;
  /** The group ignores poll alarm failures: poll errors are still recorded, marked as ignored. */
  ignorePollErrors?: boolean;
  /** Aborts the checks (monitor stopping); an aborted evaluation is not recorded. */
  signal?: AbortSignal;
};

export type AlarmEvaluation = {
  alarmName: string;
  evaluation: Evaluation;
  /** The alarm's state after this evaluation; null when nothing was recorded. */
  status: NextAlarmStatus | null;
  results: TargetResult[];
};

/** Host rows as checks see them: the private key opened; a key that cannot be opened means no access. */
export function checkHosts(ctx: Pick<AppContext, "secrets">, rows: readonly (typeof hosts.$inferSelect)[]): CheckHost[] {
  return rows.map((h) => {
    let access: HostAccess | undefined;
    try {
      access = hostAccess(h, ctx.secrets);
    } catch {
      access = undefined;
    }
    return { name: h.name, address: h.address, access };
  });
}

/** One verdict from the per-target results: any failure fails; otherwise any poll error; else OK. */
export function combineResults(results: readonly TargetResult[]): Evaluation {
  const failed = results.filter((r) => r.outcome === "failed");
  if (failed.length) return { kind: "failed", reason: failed.map((r) => r.message).join("; ") };
  const poll = results.filter((r) => r.outcome === "pollError");
  if (poll.length) return { kind: "pollError", reason: poll.map((r) => r.message).join("; ") };
  const n = results.length;
  return { kind: "ok", message: n === 1 ? results[0].message : `All ${n} checks passed` };
}

/** Runs the alarm's check against the hosts, without recording anything. */
async function runAlarmCheck(alarm: AlarmRow, hosts: readonly CheckHost[], signal?: AbortSignal): Promise<TargetResult[]> {
  if (alarm.type === "http") {
    if (!alarm.url) return [{ target: null, outcome: "pollError", message: "The alarm has no URL." }];
    return runHttpCheck(
      { url: alarm.url, expectedStatus: alarm.expectedStatus, bodyContains: alarm.bodyContains, timeoutSeconds: alarm.timeoutSeconds },
      hosts,
      signal,
    );
  }
  if (!alarm.command) return [{ target: null, outcome: "pollError", message: "The alarm has no command." }];
  return runCommandCheck({ command: alarm.command, timeoutSeconds: alarm.timeoutSeconds }, hosts, signal);
}

/**
 * Evaluates an alarm once: runs its check, then in one transaction records a result per target,
 * moves the alarm's state and trims old results. The alarm row is re-read under a row lock, so
 * two evaluations at once (a deployment's monitor and "Test alarm") both count.
 */
export async function evaluateAlarm(
  alarm: AlarmRow,
  hosts: readonly CheckHost[],
  ctx: Pick<AppContext, "db">,
  opts: EvaluateOptions = {},
): Promise<AlarmEvaluation> {
  const results = await runAlarmCheck(alarm, hosts, opts.signal);
  const evaluation = combineResults(results);
  if (opts.signal?.aborted) return { alarmName: alarm.name, evaluation, status: null, results };
  const note = opts.ignorePollErrors ? " (ignored: the deployment group ignores poll alarm failures)" : "";
  const status = await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(alarms).where(eq(alarms.id, alarm.id)).for("update");
    if (!current) return null; // deleted while its check ran
    const next = nextAlarmState(current, evaluation, current.failuresToAlarm);
    const now = new Date();
    await tx
      .update(alarms)
      .set({
        state: next.state,
        stateReason: next.stateReason,
        consecutiveFailures: next.consecutiveFailures,
        ...(next.changed || !current.stateUpdatedAt ? { stateUpdatedAt: now } : {}),
      })
      .where(eq(alarms.id, alarm.id));
    await tx.insert(alarmResults).values(
      results.map((r) => ({
        alarmId: alarm.id,
        at: now,
        ok: r.outcome === "ok",
        target: r.target,
        message: r.outcome === "pollError" ? `Poll error: ${r.message}${note}` : r.message,
        deploymentId: opts.deploymentId ?? null,
      })),
    );
    const [cutoff] = await tx
      .select({ id: alarmResults.id })
      .from(alarmResults)
      .where(eq(alarmResults.alarmId, alarm.id))
      .orderBy(desc(alarmResults.id))
      .offset(RESULTS_KEPT - 1)
      .limit(1);
    if (cutoff) await tx.delete(alarmResults).where(and(eq(alarmResults.alarmId, alarm.id), lt(alarmResults.id, cutoff.id)));
    return next;
  });
  return { alarmName: alarm.name, evaluation, status, results };
}
