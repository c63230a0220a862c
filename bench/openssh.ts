// The baseline: plain OpenSSH doing what a deployment does, one fresh `ssh` process per host.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { shq } from "../server/lib/shell";
import type { TestHosts } from "../test/support/test-hosts";
import { APP, BUCKET, HOOK_FILE, HOOKS, type Hook } from "./config";
import type { Rev } from "./revision";

/**
 * OpenSSH 9.x negotiates the post-quantum sntrup761x25519 key exchange by default, which costs
 * the client tens of ms per connection; ssh2 (Slipway) cannot speak it and uses curve25519. The
 * ratio is against OpenSSH as it comes; a second, informational baseline pins OpenSSH to the
 * key exchange Slipway uses, so the comparison does not hinge on that difference alone.
 */
export const CURVE25519 = ["-o", "KexAlgorithms=curve25519-sha256"];

function sshArgs(fleet: TestHosts, port: number, extra: string[] = []): string[] {
  return [
    ...extra,
    "-F", "/dev/null",
    "-i", fleet.privateKeyPath,
    "-p", String(port),
    "-o", "StrictHostKeyChecking=no",
    "-o", "UserKnownHostsFile=/dev/null",
    "-o", "BatchMode=yes",
    "-o", "LogLevel=ERROR",
    "-o", "ControlMaster=no",
    "-o", "ControlPath=none",
    "root@127.0.0.1",
  ];
}

/**
 * What one host gets in the baseline, in one remote `sh -c`: the zip arrives on stdin into a
 * fresh per-run folder, is unpacked, and the 5 hook scripts run in the lifecycle order with
 * CodeDeploy's environment, the site copied into /var/www/html between BeforeInstall and
 * AfterInstall.
 */
function baselineScript(runId: string, group: string, key: string): string {
  const env = {
    DEPLOYMENT_ID: runId,
    APPLICATION_NAME: APP,
    DEPLOYMENT_GROUP_NAME: group,
    DEPLOYMENT_GROUP_ID: `baseline-${group}`,
    BUNDLE_BUCKET: BUCKET,
    BUNDLE_KEY: key,
  };
  const hook = (e: Hook) => `LIFECYCLE_EVENT=${e} ./${HOOK_FILE[e]} </dev/null`;
  return [
    "set -e",
    `d=/srv/bench-baseline/${runId}`,
    `mkdir -p "$d"`,
    `cat > "$d/bundle.zip"`,
    `unzip -q "$d/bundle.zip" -d "$d/archive"`,
    `cd "$d/archive"`,
    `export ${Object.entries(env).map(([k, v]) => `${k}=${shq(v)}`).join(" ")}`,
    hook("ApplicationStop"),
    hook("BeforeInstall"),
    `mkdir -p /var/www/html`,
    `cp -R site/. /var/www/html/`,
    hook("AfterInstall"),
    hook("ApplicationStart"),
    hook("ValidateService"),
  ].join("\n");
}

/** One fresh `ssh` process for one host: connect, upload, unpack, copy, hooks. */
export function sshOnce(fleet: TestHosts, port: number, remote: string, stdin: Buffer | null, extra: string[] = []): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn("ssh", [...sshArgs(fleet, port, extra), remote], { stdio: ["pipe", "pipe", "pipe"] });
    const so: Buffer[] = [];
    const se: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => so.push(b));
    child.stderr.on("data", (b: Buffer) => se.push(b));
    child.stdin.on("error", () => {}); // a failing ssh closes stdin; the exit code tells why
    child.once("error", reject);
    child.once("close", (code) => {
      const ms = performance.now() - t0;
      if (code === 0) resolve({ ms, stdout: Buffer.concat(so).toString("utf8") });
      else reject(new Error(`ssh to 127.0.0.1:${port} exited ${code}: ${Buffer.concat(se).toString("utf8").trim()}`));
    });
    child.stdin.end(stdin ?? undefined);
  });
}

let baselineSeq = 0;
/** Host after host, like CodeDeployDefault.OneAtATime. */
export async function baselineDeploy(
  fleet: TestHosts,
  rev: Rev,
  hostCount: number,
  group: string,
  extra: string[] = [],
): Promise<{ ms: number; perHostMs: number[] }> {
  const runId = `b-${process.pid}-${++baselineSeq}`;
  const remote = `sh -c ${shq(baselineScript(runId, group, rev.key))}`;
  const zip = rev.zip;
  const perHostMs: number[] = [];
  const t0 = performance.now();
  for (const host of fleet.hosts.slice(0, hostCount)) {
    const r = await sshOnce(fleet, host.port, remote, zip, extra);
    perHostMs.push(r.ms);
    if (r.stdout.split("\n").filter((l) => l.endsWith(" done")).length !== HOOKS.length)
      throw new Error(`baseline on ${host.name}: expected ${HOOKS.length} hook outputs, got:\n${r.stdout}`);
  }
  return { ms: performance.now() - t0, perHostMs };
}
