// The per-host runner on a real sshd host: result lines gathered into few writes come back whole,
// in order, with the block that printed them, however the block set IFS and however it ended.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectHost, type HostConnection } from "../../server/host/connection";
import { inlineBlock, resultLines, runnerFor, type HostRunner } from "../../server/host/runner";
import { loginOf, startTestHosts, type TestHosts } from "../support/test-hosts";

describe("host runner", () => {
  let fleet: TestHosts;
  let conn: HostConnection;
  let runner: HostRunner;

  beforeAll(async () => {
    fleet = await startTestHosts(1, { prefix: "runner" });
    conn = await connectHost(loginOf(fleet, fleet.hosts[0]));
    runner = await runnerFor(conn);
  }, 60_000);

  afterAll(async () => {
    runner?.close();
    conn?.close();
    await fleet?.stop();
  });

  it("returns many result lines whole and in order, short, long and multibyte, with IFS changed", async () => {
    const block = inlineBlock("many", "i IFS", [
      // r joins its words with spaces whatever IFS the block set.
      `IFS='\n'`,
      `i=0; while [ "$i" -lt 500 ]; do r n "$i" "é—${"x".repeat(40)}"; i=$((i + 1)); done`,
      `r long "$(printf '%03000d' 7)"`,
      `r last word`,
      `return 0`,
    ]);
    const r = await runner.run(block, {}, "inline");
    expect(r.code).toBe(0);
    const lines = resultLines(runner.marker, r.stdout);
    expect(lines).toHaveLength(502);
    lines.slice(0, 500).forEach((l, i) => expect(l).toBe(`n ${i} é—${"x".repeat(40)}`));
    expect(lines[500]).toBe(`long ${"0".repeat(2999)}7`);
    expect(lines[501]).toBe("last word");
    // Nothing but result lines and the runner's own framing came back.
    expect(r.stdout.split("\n").filter((l) => l && !l.startsWith(`${runner.marker} r `))).toEqual([]);
  });

  it("delivers what a subshell block gathered before it exited, and keeps blocks apart", async () => {
    const exited = await runner.run(`r one; r two; exit 3`);
    expect(exited.code).toBe(3);
    expect(resultLines(runner.marker, exited.stdout)).toEqual(["one", "two"]);
    const next = await runner.run(inlineBlock("next", "", [`r three`, `return 0`]), {}, "inline");
    expect(resultLines(runner.marker, next.stdout)).toEqual(["three"]);
    const quiet = await runner.run(inlineBlock("quiet", "", [`return 4`]), {}, "inline");
    expect(quiet.code).toBe(4);
    expect(resultLines(runner.marker, quiet.stdout)).toEqual([]);
  });
});
