import { describe, expect, it } from "vitest";
import { nextAlarmState, type AlarmStatus, type Evaluation } from "../../server/alarms/alarm-state";

const ok: Evaluation = { kind: "ok", message: "web-1: GET http://127.0.0.1/health returned 200" };
const failed: Evaluation = { kind: "failed", reason: "web-2: GET http://127.0.0.1:8081/health returned 500, expected 200" };
const pollError: Evaluation = { kind: "pollError", reason: "web-1: Could not connect to web-1 (127.0.0.1:1): connect ECONNREFUSED" };

/** Applies evaluations in order, as the monitor does, and returns every intermediate state. */
function run(start: AlarmStatus, evaluations: Evaluation[], threshold: number) {
  const states: string[] = [];
  let s = start;
  for (const e of evaluations) {
    const next = nextAlarmState(s, e, threshold);
    states.push(`${next.state}:${next.consecutiveFailures}`);
    s = next;
  }
  return states;
}

describe("alarm state", () => {
  const fresh: AlarmStatus = { state: "INSUFFICIENT_DATA", consecutiveFailures: 0 };

  it("goes to ALARM after failuresToAlarm consecutive failures, not before", () => {
    expect(run({ state: "OK", consecutiveFailures: 0 }, [failed, failed, failed, failed], 3)).toEqual(["OK:1", "OK:2", "ALARM:3", "ALARM:4"]);
  });

  it("a single failure alarms with a threshold of 1", () => {
    const next = nextAlarmState({ state: "OK", consecutiveFailures: 0 }, failed, 1);
    expect(next).toMatchObject({ state: "ALARM", consecutiveFailures: 1, changed: true });
    expect(next.stateReason).toContain("returned 500, expected 200");
  });

  it("an OK evaluation resets the count and returns to OK", () => {
    expect(run({ state: "ALARM", consecutiveFailures: 5 }, [ok, failed, failed, ok], 3)).toEqual(["OK:0", "OK:1", "OK:2", "OK:0"]);
  });

  it("failures below the threshold keep the state and say how far it is from ALARM", () => {
    const next = nextAlarmState(fresh, failed, 3);
    expect(next).toMatchObject({ state: "INSUFFICIENT_DATA", consecutiveFailures: 1, changed: false });
    expect(next.stateReason).toMatch(/^1 of 3 consecutive failed checks before ALARM: web-2/);
  });

  it("a poll error is INSUFFICIENT_DATA and neither counts nor clears failures", () => {
    expect(run({ state: "OK", consecutiveFailures: 0 }, [failed, pollError, failed, failed], 3)).toEqual([
      "OK:1",
      "INSUFFICIENT_DATA:1",
      "INSUFFICIENT_DATA:2",
      "ALARM:3",
    ]);
    const next = nextAlarmState({ state: "ALARM", consecutiveFailures: 4 }, pollError, 3);
    expect(next).toMatchObject({ state: "INSUFFICIENT_DATA", consecutiveFailures: 4, changed: true });
    expect(next.stateReason).toMatch(/^Could not evaluate: web-1: Could not connect/);
  });

  it("reports a change only when the state moves", () => {
    expect(nextAlarmState({ state: "OK", consecutiveFailures: 0 }, ok, 3).changed).toBe(false);
    expect(nextAlarmState(fresh, ok, 3).changed).toBe(true);
    expect(nextAlarmState({ state: "ALARM", consecutiveFailures: 3 }, failed, 3).changed).toBe(false);
  });

  it("an alarm already past a lowered threshold alarms on its next failure", () => {
    expect(nextAlarmState({ state: "OK", consecutiveFailures: 4 }, failed, 2).state).toBe("ALARM");
  });

  it("treats a threshold below 1 as 1", () => {
    expect(nextAlarmState(fresh, failed, 0).state).toBe("ALARM");
  });
});
