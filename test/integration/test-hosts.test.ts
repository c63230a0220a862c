// Proves the test-host harness itself: real sshd, per-host files at the same absolute paths,
// the advertised fingerprint, and a stop() that leaves nothing of ours running.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprintOf, startTestHosts, type TestHost, type TestHosts } from "../support/test-hosts";

const run = promisify(execFile);

function ssh(harness: TestHosts, host: TestHost, command: string) {
  return run("ssh", [
    "-i", harness.privateKeyPath,
    "-p", String(host.port),
    "-o", "StrictHostKeyChecking=no",
    "-o", "UserKnownHostsFile=/dev/null",
    "-o", "BatchMode=yes",
    "-o", "LogLevel=ERROR",
    `root@${host.address}`,
    command,
  ]);
}

/** Alive and not a zombie (dead orphans are never reaped on machines without a real init). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("test hosts", () => {
  let harness: TestHosts;
  let stopped = false;

  beforeAll(async () => {
    harness = await startTestHosts(3, { prefix: "harness" });
  });
  afterAll(async () => {
    if (!stopped) await harness?.stop();
  });

  it("gives every host its own /var/www behind a real sshd", async () => {
    const [one, two] = harness.hosts;
    const { stdout } = await ssh(harness, one, "echo hi > /var/www/x; hostname; cat /etc/hostname");
    expect(stdout).toBe("harness-1\nharness-1\n");

    expect(readFileSync(one.path("/var/www/x"), "utf8")).toBe("hi\n");
    expect(existsSync(two.path("/var/www/x"))).toBe(false);
    expect(existsSync("/var/www/x")).toBe(false);
    const seenByTwo = await ssh(harness, two, "test -e /var/www/x && echo present || echo absent");
    expect(seenByTwo.stdout).toBe("absent\n");
  });

  it("runs commands inside a host with exec", async () => {
    const [, two] = harness.hosts;
    const result = await two.exec("mkdir -p /opt/slipway/r && cat > /opt/slipway/r/f && pwd && hostname", {
      input: "from stdin",
    });
    expect(result).toEqual({ code: 0, stdout: "/root\nharness-2\n", stderr: "" });
    expect(readFileSync(two.path("/opt/slipway/r/f"), "utf8")).toBe("from stdin");
    expect((await two.exec("exit 7")).code).toBe(7);
    expect(() => two.path("/etc/passwd")).toThrow(/not private/);
  });

  it("advertises the host key fingerprint that ssh-keyscan sees", async () => {
    for (const host of harness.hosts) {
      const keyscan = `ssh-keyscan -t ed25519 -p ${host.port} ${host.address} 2>/dev/null`;
      const { stdout: scanned } = await run("sh", ["-c", keyscan]);
      const { stdout: hashed } = await run("sh", ["-c", `${keyscan} | ssh-keygen -lf -`]);
      expect(hashed).toContain(` ${host.hostKeyFingerprint} `);
      // ssh-keyscan prints "[host]:port type blob"; our own hashing (ssh2's way) agrees.
      const line = scanned.split("\n").find((l) => l.includes("ssh-ed25519")) ?? "";
      expect(fingerprintOf(line.split(" ").slice(1).join(" "))).toBe(host.hostKeyFingerprint);
    }
  });

  it("stop() kills its sshd processes, their sessions and what they left behind", async () => {
    const [one] = harness.hosts;
    const daemon = await ssh(harness, one, "sleep 300 >/dev/null 2>&1 </dev/null & echo $!");
    const leftover = Number(daemon.stdout.trim());
    expect(isRunning(leftover)).toBe(true);
    const pids = harness.hosts.map((h) => h.pid);
    expect(pids.every(isRunning)).toBe(true);

    await harness.stop();
    stopped = true;

    expect([...pids, leftover].filter(isRunning)).toEqual([]);
    expect(existsSync(harness.dir)).toBe(false);
  });
});
