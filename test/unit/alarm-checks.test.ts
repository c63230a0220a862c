import { describe, expect, it } from "vitest";
import { outputTail, urlForHost } from "../../server/alarms/checks";
import { combineResults } from "../../server/alarms/evaluate";

describe("alarm check helpers", () => {
  it("puts each host's address where {host} is", () => {
    expect(urlForHost("http://{host}:8080/health", "10.0.0.5")).toBe("http://10.0.0.5:8080/health");
    expect(urlForHost("http://{host}/a?h={host}", "web-1.internal")).toBe("http://web-1.internal/a?h=web-1.internal");
    expect(urlForHost("http://{host}:81/", "fd00::5")).toBe("http://[fd00::5]:81/");
    expect(urlForHost("http://example.com/health", "10.0.0.5")).toBe("http://example.com/health");
  });

  it("keeps the last lines of command output", () => {
    expect(outputTail("a\nb\nc\nd\ne\nf\ng\n\n")).toBe("c\nd\ne\nf\ng");
    expect(outputTail("x".repeat(1000), 10)).toBe("…" + "x".repeat(10));
    expect(outputTail("")).toBe("");
  });

  it("fails when any target fails, else reports poll errors, else OK", () => {
    const okA = { target: "web-1", outcome: "ok" as const, message: "web-1: ok" };
    const failB = { target: "web-2", outcome: "failed" as const, message: "web-2: GET http://x returned 500, expected 200" };
    const pollC = { target: "web-3", outcome: "pollError" as const, message: "web-3: unreachable" };
    expect(combineResults([okA, failB, pollC])).toEqual({ kind: "failed", reason: failB.message });
    expect(combineResults([okA, pollC])).toEqual({ kind: "pollError", reason: pollC.message });
    expect(combineResults([okA])).toEqual({ kind: "ok", message: "web-1: ok" });
    expect(combineResults([okA, okA])).toEqual({ kind: "ok", message: "All 2 checks passed" });
  });
});
