import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createLineSplitter, logTail } from "../../server/host/line-splitter";
import { scriptPath } from "../../server/host/hook-runner";
import { shJoin, shq } from "../../server/lib/shell";
import { createSecretBox } from "../../server/lib/secrets";
import { newDeploymentId, DEPLOYMENT_ID_PATTERN } from "../../server/lib/ids";

describe("shell quoting", () => {
  it("passes every hostile string through sh unchanged", () => {
    for (const s of ["plain", "a b", "it's", "$(rm -rf /)", "`id`", "a\nb", "*", "-n", "\"q\"", "\\", ""]) {
      expect(execFileSync("sh", ["-c", `printf '%s' ${shq(s)}`]).toString()).toBe(s);
    }
    expect(shJoin(["echo", "a b"])).toBe("echo 'a b'");
  });
  it("refuses NUL bytes", () => expect(() => shq("a\0b")).toThrow(/NUL/));
});

describe("line splitting", () => {
  it("joins partial chunks, splits CRLF and flushes a last line without newline", () => {
    const lines: string[] = [];
    const s = createLineSplitter((l) => lines.push(l));
    s.push(Buffer.from("hel"));
    s.push(Buffer.from("lo\r\nwor"));
    s.push(Buffer.from("ld\n\nlast"));
    s.flush();
    expect(lines).toEqual(["hello", "world", "", "last"]);
  });
  it("keeps a UTF-8 character split across chunks whole", () => {
    const lines: string[] = [];
    const s = createLineSplitter((l) => lines.push(l));
    const b = Buffer.from("é\n");
    s.push(b.subarray(0, 1));
    s.push(b.subarray(1));
    expect(lines).toEqual(["é"]);
  });
  it("keeps only whole last lines within about 2 KB for logTail", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${"x".repeat(40)}`);
    const tail = logTail(lines);
    expect(tail.length).toBeLessThanOrEqual(2048);
    expect(tail.endsWith(lines[99])).toBe(true);
    expect(tail.split("\n")[0]).toMatch(/^line \d+ x+$/);
  });
});

describe("hook locations", () => {
  it("are relative to the revision root even with a leading slash", () => {
    expect(scriptPath("/a/archive", "/scripts/start.sh")).toBe("/a/archive/scripts/start.sh");
    expect(scriptPath("/a/archive", " scripts/start.sh ")).toBe("/a/archive/scripts/start.sh");
  });
});

describe("secrets at rest", () => {
  it("round-trips and never contains the plaintext", () => {
    const box = createSecretBox("k");
    const sealed = box.seal("-----BEGIN OPENSSH PRIVATE KEY-----");
    expect(sealed).not.toContain("OPENSSH");
    expect(box.open(sealed)).toBe("-----BEGIN OPENSSH PRIVATE KEY-----");
  });
  it("refuses another key with a clear message", () => {
    expect(() => createSecretBox("other").open(createSecretBox("k").seal("x"))).toThrow(/SLIPWAY_SECRET_KEY/);
  });
});

describe("deployment ids", () => {
  it("look like CodeDeploy's", () => {
    for (let i = 0; i < 50; i++) expect(newDeploymentId()).toMatch(DEPLOYMENT_ID_PATTERN);
  });
});
