import { eq } from "drizzle-orm";
import { alarms, type AlarmConfiguration, type hosts } from "../../drizzle/schema";
import type { AppContext } from "../context";
import { checkHosts, evaluateAlarm } from "./evaluate";

export type AlarmEvent = { alarmName: string; message: string };

export type WatchAlarmsInput = {
  deploymentId: string;
  config: AlarmConfiguration;
  /** The deployment's hosts: {host} URLs and command checks run against these. */
  hosts: (typeof hosts.$inferSelect)[];
  /** An alarm is (or went) in ALARM. Called at most once per watch. */
  onAlarm: (e: AlarmEvent) => void;
  /**
   * An alarm could not be evaluated (it does not exist, or its check could not run). Called at
   * most once per watch, and never when the configuration ignores poll alarm failures.
   */
  onPollFailure?: (e: AlarmEvent) => void;
};

export type AlarmWatch = { stop(): Promise<void> };

/** How long to wait before looking again for an alarm that does not exist (it may be created). */
const MISSING_ALARM_RETRY_MS = 10_000;

/**
 * Watches a deployment's alarms: each named alarm is evaluated at once and then every
 * intervalSeconds on its own timer, never overlapping itself, until stop(). The alarm row is
 * re-read before each evaluation, so an edit (interval, URL) applies to the next one.
 * stop() aborts the checks in flight and resolves once every loop has ended; nothing is recorded
 * after it resolves. Timers are unref'd: a forgotten watch never keeps the process alive.
 */
export function watchAlarms(ctx: Pick<AppContext, "db" | "secrets">, input: WatchAlarmsInput): AlarmWatch {
  const { config } = input;
  const names = [...new Set(config.alarms.map((a) => a.name))];
  if (!config.enabled || names.length === 0) return { stop: async () => {} };

  const controller = new AbortController();
  const targets = checkHosts(ctx, input.hosts);
  const wakers = new Set<() => void>();
  let alarmed = false;
  let pollFailed = false;

  const safely = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      console.error(`alarm monitor of ${input.deploymentId}: ${what} threw:`, err);
    }
  };
  const raiseAlarm = (e: AlarmEvent) => {
    if (alarmed || controller.signal.aborted) return;
    alarmed = true;
    safely("onAlarm", () => input.onAlarm(e));
  };
  const pollFailure = (e: AlarmEvent) => {
    if (controller.signal.aborted) return;
    if (config.ignorePollAlarmFailure) {
      console.warn(`alarm monitor of ${input.deploymentId}: ignored poll failure of "${e.alarmName}": ${e.message}`);
      return;
    }
    if (pollFailed || !input.onPollFailure) return;
    pollFailed = true;
    safely("onPollFailure", () => input.onPollFailure?.(e));
  };

  /** Resolves after `ms`, or at once when the watch stops. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (controller.signal.aborted) return resolve();
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      wakers.add(wake);
    });

  async function watchOne(name: string) {
    while (!controller.signal.aborted) {
      const started = Date.now();
      let intervalMs = MISSING_ALARM_RETRY_MS;
      try {
        const [alarm] = await ctx.db.select().from(alarms).where(eq(alarms.name, name));
        if (!alarm) {
          pollFailure({ alarmName: name, message: `Alarm "${name}" does not exist.` });
        } else {
          intervalMs = alarm.intervalSeconds * 1000;
          const r = await evaluateAlarm(alarm, targets, ctx, {
            deploymentId: input.deploymentId,
            ignorePollErrors: config.ignorePollAlarmFailure,
            signal: controller.signal,
          });
          if (r.status?.state === "ALARM") raiseAlarm({ alarmName: name, message: `Alarm "${name}" is in ALARM: ${r.status.stateReason}` });
          else if (r.status && r.evaluation.kind === "pollError")
            pollFailure({ alarmName: name, message: `Alarm "${name}" could not be evaluated: ${r.evaluation.reason}` });
        }
      } catch (err) {
        if (controller.signal.aborted) break;
        pollFailure({ alarmName: name, message: `Alarm "${name}" could not be evaluated: ${(err as Error).message}` });
      }
      await sleep(Math.max(0, intervalMs - (Date.now() - started)));
    }
  }

  const loops = names.map((name) => watchOne(name));
  return {
    async stop() {
      controller.abort();
      for (const wake of [...wakers]) wake();
      await Promise.allSettled(loops);
    },
  };
}
