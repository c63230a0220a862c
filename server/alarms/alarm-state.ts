import type { AlarmState } from "../../drizzle/schema";

/**
 * What one evaluation of an alarm found:
 * - ok: every checked target was healthy;
 * - failed: the check ran and something was unhealthy (a site that refuses connections is down,
 *   so that is a failure too);
 * - pollError: the check could not be run at all (SSH to a host failed, no hosts, alarm gone).
 */
export type Evaluation =
  | { kind: "ok"; message: string }
  | { kind: "failed"; reason: string }
  | { kind: "pollError"; reason: string };

export type AlarmStatus = { state: AlarmState; consecutiveFailures: number };

export type NextAlarmStatus = AlarmStatus & {
  stateReason: string;
  /** The state differs from before (stateUpdatedAt moves only then). */
  changed: boolean;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * The alarm's next state. Failed evaluations count up and reach ALARM at `failuresToAlarm`; below
 * that the state stays where it was (a single blip does not flip an OK alarm). One OK evaluation
 * clears the count. A poll error says nothing about health: INSUFFICIENT_DATA, count untouched.
 */
export function nextAlarmState(current: AlarmStatus, evaluation: Evaluation, failuresToAlarm: number): NextAlarmStatus {
  const threshold = Math.max(1, failuresToAlarm);
  const to = (state: AlarmState, consecutiveFailures: number, stateReason: string): NextAlarmStatus => ({
    state,
    consecutiveFailures,
    stateReason,
    changed: state !== current.state,
  });
  switch (evaluation.kind) {
    case "ok":
      return to("OK", 0, evaluation.message);
    case "pollError":
      return to("INSUFFICIENT_DATA", current.consecutiveFailures, `Could not evaluate: ${evaluation.reason}`);
    case "failed": {
      const failures = current.consecutiveFailures + 1;
      if (failures >= threshold)
        return to("ALARM", failures, `${plural(failures, "consecutive failed check")} (threshold ${threshold}): ${evaluation.reason}`);
      return to(current.state, failures, `${failures} of ${threshold} consecutive failed checks before ALARM: ${evaluation.reason}`);
    }
  }
}
