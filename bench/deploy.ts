// `npm run bench`: how long Slipway takes to deploy a 1 MB revision with 5 hooks to 1 and to 10
// real sshd test hosts (creation -> completion), next to plain OpenSSH doing the same work in the
// same run, as a ratio. Target: 2.0x or better. And how long an automatic rollback takes (the
// failed deployment's completion -> the rollback's completion) next to a fresh deployment of the
// same files. Target: 0.5x or better. See docs/benchmarks.md.
//
//   npm run bench                    # table on stdout
//   npm run bench -- --json          # JSON on stdout (the table goes to stderr)
//   npm run bench -- --runs 7        # measured runs per scenario (default 5, plus 1 warm-up)
//
// A benchmark reports: it exits 0 on a MISS and 1 only when something broke.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { connectHost } from "../server/host/connection";
import { shq } from "../server/lib/shell";
import { startBackend, type Backend } from "../test/support/backend";
import { startTestHosts, type TestHosts } from "../test/support/test-hosts";

// --- options --------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const JSON_OUT = argv.includes("--json");
const RUNS = intOption("--runs", 5);
const WARMUPS = intOption("--warmups", 1);
const HOSTS = 10;
const TARGET_RATIO = 2.0;
const APP = "BenchApp";
const BUCKET = "bench";
const HOOKS = ["ApplicationStop", "BeforeInstall", "AfterInstall", "ApplicationStart", "ValidateService"] as const;
const HOOK_FILE: Record<(typeof HOOKS)[number], string> = {
  ApplicationStop: "scripts/application_stop.sh",
  BeforeInstall: "scripts/before_install.sh",
  AfterInstall: "scripts/after_install.sh",
  ApplicationStart: "scripts/application_start.sh",
  ValidateService: "scripts/validate_service.sh",
};
const SCENARIOS = [
  // A 1-host run is short and noisy, so each round runs it 3 times (3x the measured runs).
  { name: "1 host", group: "Bench-One", hosts: 1, perRound: 3 },
  { name: "10 hosts", group: "Bench-All", hosts: HOSTS, perRound: 1 },
] as const;
type ScenarioName = (typeof SCENARIOS)[number]["name"];
/** Rollback: groups of their own (same hosts), with autoRollbackConfiguration on DEPLOYMENT_FAILURE. */
const ROLLBACK_SCENARIOS = [
  { name: "1 host", group: "Bench-Rollback-One", hosts: 1, perRound: 2 },
  { name: "10 hosts", group: "Bench-Rollback-All", hosts: HOSTS, perRound: 1 },
] as const;
const ROLLBACK_TARGET = 0.5; // rollback time <= half a fresh deployment's
const EVENTS = ["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"] as const;

function intOption(name: string, fallback: number): number {
  const i = argv.indexOf(name);
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < (name === "--warmups" ? 0 : 1)) throw new Error(`${name} needs a positive whole number, got ${raw}`);
  return n;
}

/** Progress and the table go to stderr under --json, so stdout is only the JSON document. */
const out = (line = "") => (JSON_OUT ? process.stderr : process.stdout).write(line + "\n");
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

// --- statistics -----------------------------------------------------------------------------------

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const min = (xs: number[]) => Math.min(...xs);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

// --- machine --------------------------------------------------------------------------------------

function machineFacts() {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  // `ssh -V` prints its version on stderr.
  const v = spawnSync("ssh", ["-V"], { encoding: "utf8" });
  const openssh = `${v.stderr ?? ""}${v.stdout ?? ""}`.trim() || "unknown";
  return {
    cpuModel,
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    openssh,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    /** 1-minute load average when the bench started and ended: other work on the machine. */
    loadAverage: { start: round(os.loadavg()[0], 2), end: NaN },
  };
}

/** Whether a program is on PATH. */
function hasProgram(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${shq(name)}`], { stdio: "ignore" }).status === 0;
}

// --- the revision ---------------------------------------------------------------------------------

/**
 * appspec.yml (files: /site -> /var/www/html; the 5 hooks, one tiny script each) and site/ with
 * index.html plus 50 files of 20 KiB random data: about 1 MB that zip cannot shrink.
 *
 * Every run gets its own revision (index.html names the run): Slipway reuses a bundle a host
 * already holds when its sha256 matches, and a benchmark of "upload, unpack, copy, run" must not
 * measure a redeploy that uploads nothing.
 */
function revisionSource() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-bench-rev-"));
  const src = path.join(dir, "src");
  const write = (rel: string, content: string | Buffer, mode = 0o644) => {
    const file = path.join(src, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
  };
  const hooks = HOOKS.map((e) => `  ${e}:\n    - location: ${HOOK_FILE[e]}\n      timeout: 60\n`).join("");
  write("appspec.yml", `version: 0.0\nos: linux\nfiles:\n  - source: /site\n    destination: /var/www/html\nhooks:\n${hooks}`);
  const hookScript = (e: (typeof HOOKS)[number], fail: boolean) =>
    `#!/bin/sh\necho "$LIFECYCLE_EVENT $DEPLOYMENT_ID $DEPLOYMENT_GROUP_NAME" >> /srv/bench.log\n` +
    (fail ? `echo "${e} fails on purpose (bench: bad revision)" >&2\nexit 1\n` : `echo "${e} done"\n`);
  for (const e of HOOKS) write(HOOK_FILE[e], hookScript(e, false), 0o755);
  for (let i = 0; i < 50; i++) write(`site/assets/blob-${String(i).padStart(2, "0")}.bin`, crypto.randomBytes(20 * 1024));
  /**
   * Revision n. `variant` names a sibling of revision n for the rollback benchmark: the same
   * files plus a NONCE file at the bundle root (not installed: only /site is), so its sha256
   * differs and no host holds it; "bad" also makes ApplicationStart exit 1.
   */
  const build = (n: number, variant?: "bad" | "fresh"): { key: string; zip: Buffer } => {
    write("site/index.html", `<!doctype html>\n<title>bench</title>\n<h1>Slipway benchmark, revision ${n}</h1>\n`);
    write("NONCE", `${n}${variant ? `-${variant}` : ""}\n`);
    write(HOOK_FILE.ApplicationStart, hookScript("ApplicationStart", variant === "bad"), 0o755);
    const zip = path.join(dir, "bundle.zip");
    fs.rmSync(zip, { force: true });
    execFileSync("zip", ["-q", "-r", zip, "."], { cwd: src });
    return { key: `site-${String(n).padStart(3, "0")}${variant ? `-${variant}` : ""}.zip`, zip: fs.readFileSync(zip) };
  };
  const sample = build(0);
  const unpackedBytes = sum(
    execFileSync("find", [".", "-type", "f", "-printf", "%s\\n"], { cwd: src, encoding: "utf8" })
      .trim()
      .split("\n")
      .map(Number),
  );
  return {
    build,
    files: 1 + HOOKS.length + 51 + 1, // appspec, hooks, site, NONCE
    unpackedBytes,
    zipBytes: sample.zip.length,
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

// --- Slipway --------------------------------------------------------------------------------------

type EventTimes = Record<string, number>; // lifecycle event -> ms
type SlipwayRun = {
  /** Wall time in this process: deployments.create called -> engine.settled resolved. */
  ms: number;
  /** The stored times: deploymentInfo.completeTime - createTime. */
  storedMs: number;
  /** Hosts of the group the engine still held an idle SSH connection to when the deployment was created. */
  warmHosts: number;
  deploymentId: string;
  /** Per host: lifecycle event durations, and the gap before its first event. */
  targets: { targetId: string; events: EventTimes; startMs: number; endMs: number }[];
  /** createTime -> first event start, last event end -> completeTime (ms, from the stored times). */
  pickupMs: number;
  wrapUpMs: number;
};

/**
 * The engine keeps a host's SSH connection open for 30 s after a deployment (connection-pool.ts),
 * so back-to-back runs would skip the handshake. These are the pooled connections' sockets: ssh2
 * connections this process holds to the test hosts' ports. Only called between deployments.
 */
function pooledSockets(ports: readonly number[]): net.Socket[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  if (typeof handles !== "function") throw new Error("process._getActiveHandles is missing: the bench cannot see the engine's pooled SSH connections");
  return handles
    .call(process)
    .filter((h): h is net.Socket => h instanceof net.Socket && !h.destroyed && h.remoteAddress === "127.0.0.1" && ports.includes(h.remotePort ?? -1));
}

/**
 * Closes the engine's idle SSH connections to these hosts, so the next deployment opens new
 * ones, as a deployment more than 30 s after the last one does (and as the OpenSSH baseline
 * does). The pool sees them dead (alive() is false) and connects afresh.
 */
async function dropPooledConnections(ports: readonly number[]): Promise<number> {
  const socks = pooledSockets(ports);
  for (const s of socks) s.destroy();
  await Promise.all(socks.map((s) => (s.closed ? undefined : once(s, "close"))));
  await new Promise((r) => setImmediate(r)); // ssh2's own close handlers
  if (pooledSockets(ports).length) throw new Error("pooled SSH connections are still open after closing them");
  return socks.length;
}

type Rev = { key: string; zip: Buffer };

type Targets = Awaited<ReturnType<Backend["caller"]["deployments"]["targets"]>>;

/** Per host: each lifecycle event's duration as stored, and the host's first start and last end (ms). */
function targetTimes(targets: Targets) {
  return targets.map((t) => {
    const events: EventTimes = {};
    let startMs = Infinity;
    let endMs = -Infinity;
    for (const e of t.lifecycleEvents) {
      if (e.startTime === undefined || e.endTime === undefined) continue;
      events[e.lifecycleEventName] = (e.endTime - e.startTime) * 1000;
      startMs = Math.min(startMs, e.startTime * 1000);
      endMs = Math.max(endMs, e.endTime * 1000);
    }
    return { targetId: t.targetId, events, startMs, endMs };
  });
}

async function slipwayDeploy(backend: Backend, group: string, expectHosts: number, rev: Rev, ports: readonly number[]): Promise<SlipwayRun> {
  await backend.app.ctx.store.put(BUCKET, rev.key, rev.zip);
  const warmHosts = new Set(pooledSockets(ports).map((s) => s.remotePort)).size;
  const t0 = performance.now();
  const { deploymentId } = await backend.caller.deployments.create({
    applicationName: APP,
    deploymentGroupName: group,
    revision: { bucket: BUCKET, key: rev.key, bundleType: "zip" },
    // Both groups (and the baseline's cp -R) write the same files into /var/www/html on host 1;
    // with the default DISALLOW the second group would refuse files the first one installed.
    fileExistsBehavior: "OVERWRITE",
  });
  await backend.app.ctx.engine.settled(deploymentId);
  const ms = performance.now() - t0;
  const { deploymentInfo: info } = await backend.caller.deployments.get({ deploymentId });
  const targets = await backend.caller.deployments.targets({ deploymentId });
  if (info.status !== "Succeeded" || targets.length !== expectHosts) {
    const failed = targets.flatMap((t) => t.lifecycleEvents.filter((e) => e.status === "Failed").map((e) => `${t.targetId} ${e.lifecycleEventName}: ${e.diagnostics?.message}`));
    throw new Error(
      `Slipway deployment ${deploymentId} to ${group} ended ${info.status} on ${targets.length} host(s) ` +
        `(expected Succeeded on ${expectHosts}): ${info.errorInformation?.message ?? ""} ${failed.join("; ")}`,
    );
  }
  const logs = await backend.caller.deployments.logs({ deploymentId });
  if (logs.some((l) => l.event === "DownloadBundle" && /^Reused /.test(l.text)))
    throw new Error(`Slipway deployment ${deploymentId} reused a bundle instead of uploading it: the runs would not do the same work`);
  const perTarget = targetTimes(targets);
  const first = Math.min(...perTarget.map((t) => t.startMs));
  const last = Math.max(...perTarget.map((t) => t.endMs));
  return {
    ms,
    storedMs: ((info.completeTime ?? NaN) - info.createTime) * 1000,
    warmHosts,
    deploymentId,
    targets: perTarget,
    pickupMs: first - info.createTime * 1000,
    wrapUpMs: (info.completeTime ?? info.createTime) * 1000 - last,
  };
}

// --- rollback -------------------------------------------------------------------------------------

type RollbackRun = {
  /** The good revision R1, deployed first (connections as the pool left them: informational). */
  good: SlipwayRun;
  failedId: string;
  rollbackId: string;
  /** failed deployment's completeTime -> rollback's completeTime: the figure. */
  ms: number;
  /** The same two instants, epoch ms. */
  window: [number, number];
  /** failed completeTime -> rollback createTime (the engine deciding and creating the rollback). */
  triggerMs: number;
  /** rollback createTime -> its first lifecycle event; last event -> its completeTime. */
  pickupMs: number;
  wrapUpMs: number;
  /** The failing ApplicationStart's end -> the failed deployment's completeTime. */
  failureToCompleteMs: number;
  rollbackConfig: string;
  targets: ReturnType<typeof targetTimes>;
  /** A fresh deployment of R1's files under a new key (new sha256), cold connections, OneAtATime. */
  fresh: SlipwayRun;
  freshFirst: boolean;
};

/**
 * One rollback turn on a group with autoRollbackConfiguration {enabled, [DEPLOYMENT_FAILURE]}:
 * R1 (good) -> Succeeded; R2 (ApplicationStart exits 1) -> Failed on the first host, the others
 * Skipped; the rollback Slipway starts by itself -> Succeeded, reusing R1's bundle on every host.
 * And, in the same turn, before R1 or after the rollback (alternating), the fresh deployment:
 * R1's files with another NONCE, so no host holds its bundle, after the pooled connections were
 * closed, so it pays the handshake a deployment normally pays.
 */
async function rollbackTurn(b: Backend, group: string, hosts: number, ports: readonly number[], build: (v?: "bad" | "fresh") => Rev, freshFirst: boolean): Promise<RollbackRun> {
  const good = build();
  const bad = build("bad");
  const freshRev = build("fresh");
  const fresh = async () => {
    await dropPooledConnections(ports);
    const run = await slipwayDeploy(b, group, hosts, freshRev, ports);
    if (run.warmHosts !== 0) throw new Error("the fresh deployment found pooled connections");
    return run;
  };
  const freshEarly = freshFirst ? await fresh() : null;
  const goodRun = await slipwayDeploy(b, group, hosts, good, ports);

  await b.app.ctx.store.put(BUCKET, bad.key, bad.zip);
  const { deploymentId: failedId } = await b.caller.deployments.create({
    applicationName: APP,
    deploymentGroupName: group,
    revision: { bucket: BUCKET, key: bad.key, bundleType: "zip" },
    fileExistsBehavior: "OVERWRITE",
  });
  await b.app.ctx.engine.settled(failedId);
  const { deploymentInfo: failed } = await b.caller.deployments.get({ deploymentId: failedId });
  const failedTargets = await b.caller.deployments.targets({ deploymentId: failedId });
  const rollbackId = failed.rollbackInfo?.rollbackDeploymentId;
  const failedAt = failedTargets[0]?.lifecycleEvents.find((e) => e.status === "Failed");
  if (
    failed.status !== "Failed" ||
    failedAt?.lifecycleEventName !== "ApplicationStart" ||
    failedTargets.slice(1).some((t) => t.status !== "Skipped") ||
    !rollbackId
  )
    throw new Error(
      `bad revision ${failedId} on ${group}: expected Failed at ApplicationStart on the first host, the others Skipped, and a rollback; ` +
        `got ${failed.status}, ${failedTargets.map((t) => `${t.targetId} ${t.status}`).join(", ")}, rollback ${rollbackId ?? "none"}: ${failed.rollbackInfo?.rollbackMessage ?? ""}`,
    );

  await b.app.ctx.engine.settled(rollbackId);
  const { deploymentInfo: rb } = await b.caller.deployments.get({ deploymentId: rollbackId });
  const rbTargets = await b.caller.deployments.targets({ deploymentId: rollbackId });
  if (rb.status !== "Succeeded" || rb.creator !== "codeDeployRollback" || rbTargets.length !== hosts || rbTargets.some((t) => t.status !== "Succeeded"))
    throw new Error(`rollback ${rollbackId} of ${failedId}: ${rb.status} by ${rb.creator} on ${rbTargets.map((t) => `${t.targetId} ${t.status}`).join(", ")}`);
  if (rb.revision.s3Location.key !== good.key) throw new Error(`rollback ${rollbackId} redeployed ${rb.revision.s3Location.key}, not ${good.key}`);
  // Every host reused R1's bundle (no transfer): what makes a rollback a rollback here.
  const logs = await b.caller.deployments.logs({ deploymentId: rollbackId });
  const reusedOn = new Set(
    logs.filter((l) => l.event === "DownloadBundle" && l.text.startsWith(`Reused the bundle kept on this host from ${goodRun.deploymentId}`)).map((l) => l.targetId),
  );
  if (reusedOn.size !== hosts) throw new Error(`rollback ${rollbackId} reused R1's bundle on ${reusedOn.size} of ${hosts} host(s)`);

  const targets = targetTimes(rbTargets);
  const failedComplete = failed.completeTime! * 1000;
  const run: Omit<RollbackRun, "fresh"> = {
    good: goodRun,
    failedId,
    rollbackId,
    ms: rb.completeTime! * 1000 - failedComplete,
    window: [failedComplete, rb.completeTime! * 1000],
    triggerMs: rb.createTime * 1000 - failedComplete,
    pickupMs: Math.min(...targets.map((t) => t.startMs)) - rb.createTime * 1000,
    wrapUpMs: rb.completeTime! * 1000 - Math.max(...targets.map((t) => t.endMs)),
    failureToCompleteMs: failedComplete - failedAt.endTime! * 1000,
    rollbackConfig: rb.deploymentConfigName,
    targets,
    freshFirst,
  };
  return { ...run, fresh: freshEarly ?? (await fresh()) };
}

/**
 * One extra rollback turn (not in the figures) with every PGlite round trip timed and the event
 * loop sampled every 10 ms: how much of the rollback window the database takes, and how busy
 * Node's one thread (ssh2's crypto, PGlite's WebAssembly, the engine) is in it.
 */
async function profileRollback(b: Backend, s: (typeof ROLLBACK_SCENARIOS)[number], ports: readonly number[], build: (v?: "bad" | "fresh") => Rev) {
  const samples: { at: number; elu: ReturnType<typeof performance.eventLoopUtilization> }[] = [];
  const sample = () => samples.push({ at: performance.timeOrigin + performance.now(), elu: performance.eventLoopUtilization() });
  sample();
  const timer = setInterval(sample, 10);
  let profiled: Awaited<ReturnType<typeof withDbTiming<RollbackRun>>>;
  try {
    profiled = await withDbTiming(b, () => rollbackTurn(b, s.group, s.hosts, ports, build, false));
  } finally {
    clearInterval(timer);
  }
  const run = profiled.result;
  const [from, to] = run.window;
  const inWindow = (spans: [number, number][]) => spans.filter(([a, z]) => a >= from - 1 && z <= to + 1);
  const txSpans = profiled.stats ? inWindow(profiled.stats.spans.transactions) : [];
  const qSpans = profiled.stats ? inWindow(profiled.stats.spans.queries) : [];
  const tx = txSpans.map(([a, z]) => z - a);
  const q = qSpans.map(([a, z]) => z - a);
  // Wall time with at least one round trip in flight: hosts in parallel queue for PGlite's one
  // connection, so their durations overlap and their sum would count the waiting twice.
  let busy = 0;
  let until = -Infinity;
  for (const [a, z] of [...txSpans, ...qSpans].sort((x, y) => x[0] - y[0])) {
    if (z <= until) continue;
    busy += z - Math.max(a, until);
    until = z;
  }
  // The samples nearest the window's ends (a busy loop delays them; then the window is a bit wider).
  const before = [...samples].reverse().find((x) => x.at <= from) ?? samples[0];
  const after = samples.find((x) => x.at >= to) ?? samples[samples.length - 1];
  const elu = performance.eventLoopUtilization(after.elu, before.elu);
  return {
    scenario: s.name,
    rollbackMs: round(run.ms),
    transactions: tx.length,
    transactionsMs: round(sum(tx)),
    queriesOutsideTransactions: q.length,
    queriesMs: round(sum(q)),
    databaseBusyMs: round(busy),
    eventLoopUtilization: round(elu.utilization, 2),
    eventLoopWindowMs: round(after.at - before.at),
  };
}

const stat = (xs: number[]) => ({ medianMs: round(median(xs)), minMs: round(min(xs)) });
const eventMedians = (hosts: { events: EventTimes }[]) => Object.fromEntries(EVENTS.map((e) => [e, round(median(hosts.map((h) => h.events[e] ?? 0)))]));

function summarizeRollback(s: (typeof ROLLBACK_SCENARIOS)[number], runs: RollbackRun[]) {
  const rb = runs.map((r) => r.ms);
  const fresh = runs.map((r) => r.fresh.storedMs);
  const warm = runs.map((r) => r.good.storedMs);
  const ratio = median(rb) / median(fresh);
  const rbHosts = runs.flatMap((r) => r.targets);
  const freshHosts = runs.flatMap((r) => r.fresh.targets);
  const freshGaps = runs.flatMap((r) => r.fresh.targets.slice(1).map((t, i) => t.startMs - r.fresh.targets[i].endMs));
  return {
    scenario: s.name,
    hosts: s.hosts,
    runs: runs.length,
    groupConfig: "CodeDeployDefault.OneAtATime",
    rollbackConfig: [...new Set(runs.map((r) => r.rollbackConfig))].join(", "),
    rollbackMs: rb.map((x) => round(x)),
    freshMs: fresh.map((x) => round(x)),
    rollback: stat(rb),
    fresh: stat(fresh),
    ratio: round(ratio, 2),
    /** Informational: the median of each turn's own rollback / fresh (the two ran seconds apart). */
    pairedRatioMedian: round(median(runs.map((r) => r.ms / r.fresh.storedMs)), 2),
    target: ROLLBACK_TARGET,
    verdict: (ratio <= ROLLBACK_TARGET ? "PASS" : "MISS") as "PASS" | "MISS",
    /** Informational: R1, a fresh deployment (new bundle) on the connections the pool still held. */
    freshWarm: { ...stat(warm), runsMs: warm.map((x) => round(x)), ratio: round(median(rb) / median(warm), 2), warmHostsMedian: median(runs.map((r) => r.good.warmHosts)) },
    breakdown: {
      failingEventEndToFailedCompleteMs: round(median(runs.map((r) => r.failureToCompleteMs))),
      rollback: {
        failedCompleteToRollbackCreateMs: round(median(runs.map((r) => r.triggerMs))),
        createToFirstEventMs: round(median(runs.map((r) => r.pickupMs))),
        perHostEventMedianMs: eventMedians(rbHosts),
        perHostFirstStartToLastEndMs: round(median(rbHosts.map((h) => h.endMs - h.startMs))),
        /** All hosts together: the first host's first event start -> the last host's last event end. */
        hostsSpanMs: round(median(runs.map((r) => Math.max(...r.targets.map((t) => t.endMs)) - Math.min(...r.targets.map((t) => t.startMs))))),
        lastEventToCompleteMs: round(median(runs.map((r) => r.wrapUpMs))),
      },
      fresh: {
        createToFirstEventMs: round(median(runs.map((r) => r.fresh.pickupMs))),
        perHostEventMedianMs: eventMedians(freshHosts),
        perHostFirstStartToLastEndMs: round(median(freshHosts.map((h) => h.endMs - h.startMs))),
        hostsSpanMs: round(median(runs.map((r) => Math.max(...r.fresh.targets.map((t) => t.endMs)) - Math.min(...r.fresh.targets.map((t) => t.startMs))))),
        betweenHostsGapMs: freshGaps.length ? round(median(freshGaps)) : null,
        lastEventToCompleteMs: round(median(runs.map((r) => r.fresh.wrapUpMs))),
      },
    },
  };
}
type RollbackResult = ReturnType<typeof summarizeRollback>;

function printRollback(rs: RollbackResult[]) {
  const rows = [
    ["scenario", "runs", "rollback median", "(min)", "fresh median", "(min)", "ratio", "target", "result", "|", "per turn", "|", "fresh, pooled conns", "(min)", "ratio"],
    ...rs.map((r) => [
      r.scenario,
      String(r.runs),
      `${r.rollback.medianMs.toFixed(0)} ms`,
      `${r.rollback.minMs.toFixed(0)}`,
      `${r.fresh.medianMs.toFixed(0)} ms`,
      `${r.fresh.minMs.toFixed(0)}`,
      `${r.ratio.toFixed(2)}x`,
      `${r.target.toFixed(1)}x`,
      r.verdict,
      "|",
      `${r.pairedRatioMedian.toFixed(2)}x`,
      "|",
      `${r.freshWarm.medianMs.toFixed(0)} ms`,
      `${r.freshWarm.minMs.toFixed(0)}`,
      `${r.freshWarm.ratio.toFixed(2)}x`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  out("Rollback: failure detected (the failed deployment's completeTime) -> rollback Succeeded (the rollback's completeTime),");
  out("next to a fresh deployment of the same files: creation -> completion (stored times), a bundle no host holds, new SSH");
  out("connections, the group's OneAtATime. ratio = rollback median / fresh median (target: 0.5x or less).");
  out("Each turn: R1 (good) Succeeded; R2, whose ApplicationStart exits 1, fails on the first host (the others Skipped);");
  out("the rollback Slipway starts redeploys R1, reusing its bundle on every host. The fresh deployment runs in the same turn,");
  out("before R1 or after the rollback, alternating. Right of |, for information: the median of each turn's own ratio; then R1");
  out("itself, a fresh deployment (new bundle) on the SSH connections the engine's pool still held (kept 30 s), and its ratio.");
  out();
  out(line(rows[0]));
  out(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) out(line(row));
  out();
  for (const r of rs)
    out(`  ${r.scenario}: the group deploys with ${r.groupConfig}; its rollbacks ran with ${r.rollbackConfig} (every rollback does, whatever the group's config).`);
  out();
  out("Where a rollback's time goes, next to the fresh deployment's (medians over the measured turns, ms):");
  const evRows = [
    ["", "trigger", "pickup", ...EVENTS.map((e) => e.replace("Application", "App").replace("Service", "Svc")), "host", "all hosts", "gaps", "wrap-up", "total"],
    ...rs.flatMap((r) => {
      const b = r.breakdown;
      return [
        [
          `rollback ${r.scenario}`,
          b.rollback.failedCompleteToRollbackCreateMs.toFixed(0),
          b.rollback.createToFirstEventMs.toFixed(0),
          ...EVENTS.map((e) => b.rollback.perHostEventMedianMs[e].toFixed(0)),
          b.rollback.perHostFirstStartToLastEndMs.toFixed(0),
          b.rollback.hostsSpanMs.toFixed(0),
          "-",
          b.rollback.lastEventToCompleteMs.toFixed(0),
          r.rollback.medianMs.toFixed(0),
        ],
        [
          `fresh ${r.scenario}`,
          "-",
          b.fresh.createToFirstEventMs.toFixed(0),
          ...EVENTS.map((e) => b.fresh.perHostEventMedianMs[e].toFixed(0)),
          b.fresh.perHostFirstStartToLastEndMs.toFixed(0),
          b.fresh.hostsSpanMs.toFixed(0),
          b.fresh.betweenHostsGapMs === null ? "-" : b.fresh.betweenHostsGapMs.toFixed(0),
          b.fresh.lastEventToCompleteMs.toFixed(0),
          r.fresh.medianMs.toFixed(0),
        ],
      ];
    }),
  ];
  const w2 = evRows[0].map((_, c) => Math.max(...evRows.map((row) => row[c].length)));
  for (const row of evRows) out("  " + row.map((cell, c) => (c === 0 ? cell.padEnd(w2[c]) : cell.padStart(w2[c]))).join("  "));
  out("  trigger: failed completeTime -> rollback createTime; pickup: createTime -> first event; host: one host's first event start ->");
  out("  last event end; all hosts: first start -> last end over the hosts; gaps: between one host and the next (OneAtATime);");
  out("  wrap-up: last event end -> completeTime. Medians of each column, so they need not add up to the total.");
  out(
    `  Before the trigger: the failing ApplicationStart ends -> the failed deployment's completeTime: ` +
      rs.map((r) => `${r.breakdown.failingEventEndToFailedCompleteMs.toFixed(0)} ms (${r.scenario})`).join(", ") +
      " (not counted in the rollback time).",
  );
  out();
}

// --- the OpenSSH baseline -------------------------------------------------------------------------

/**
 * OpenSSH 9.x negotiates the post-quantum sntrup761x25519 key exchange by default, which costs
 * the client tens of ms per connection; ssh2 (Slipway) cannot speak it and uses curve25519. The
 * ratio is against OpenSSH as it comes; a second, informational baseline pins OpenSSH to the
 * key exchange Slipway uses, so the comparison does not hinge on that difference alone.
 */
const CURVE25519 = ["-o", "KexAlgorithms=curve25519-sha256"];

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
  const hook = (e: (typeof HOOKS)[number]) => `LIFECYCLE_EVENT=${e} ./${HOOK_FILE[e]} </dev/null`;
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
function sshOnce(fleet: TestHosts, port: number, remote: string, stdin: Buffer | null, extra: string[] = []): Promise<{ ms: number; stdout: string }> {
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
async function baselineDeploy(
  fleet: TestHosts,
  rev: { key: string; zip: Buffer },
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

// --- profiling (outside the measured runs) --------------------------------------------------------

type PgliteLike = {
  query: (...a: unknown[]) => Promise<unknown>;
  exec: (...a: unknown[]) => Promise<unknown>;
  transaction: (...a: unknown[]) => Promise<unknown>;
};

/** Times every PGlite round trip (queries outside transactions, whole transactions) while `fn` runs. */
async function withDbTiming<T>(backend: Backend, fn: () => Promise<T>) {
  const client = (backend.app.ctx.db as unknown as { $client?: PgliteLike }).$client;
  const stats = {
    transactions: [] as number[],
    queries: [] as number[],
    /** [start, end] in epoch ms, to select the round trips inside a window. */
    spans: { transactions: [] as [number, number][], queries: [] as [number, number][] },
  };
  if (!client || typeof client.transaction !== "function") return { result: await fn(), stats: null };
  const originals = { query: client.query, exec: client.exec, transaction: client.transaction };
  let depth = 0;
  const timed =
    (kind: "transactions" | "queries", f: (...a: unknown[]) => Promise<unknown>) =>
    async (...a: unknown[]) => {
      const t0 = performance.now();
      depth++;
      try {
        return await f.apply(client, a);
      } finally {
        depth--;
        if (kind === "transactions" || depth === 0) {
          const t1 = performance.now();
          stats[kind].push(t1 - t0);
          stats.spans[kind].push([performance.timeOrigin + t0, performance.timeOrigin + t1]);
        }
      }
    };
  client.transaction = timed("transactions", originals.transaction);
  client.query = timed("queries", originals.query);
  try {
    return { result: await fn(), stats };
  } finally {
    Object.assign(client, originals);
  }
}

/** An ssh2 connection, as Slipway opens it, and then N empty execs on it: setup vs. round trips. */
async function ssh2Costs(fleet: TestHosts) {
  const host = fleet.hosts[0];
  const connectMs: number[] = [];
  const execMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const conn = await connectHost({
      name: host.name,
      address: host.address,
      port: host.port,
      username: "root",
      privateKey: fleet.privateKey,
      fingerprint: host.hostKeyFingerprint,
    });
    connectMs.push(performance.now() - t0);
    for (let j = 0; j < 4; j++) {
      const t1 = performance.now();
      const r = await conn.run("true");
      if (r.code !== 0) throw new Error("ssh2 exec of `true` failed");
      execMs.push(performance.now() - t1);
    }
    conn.close();
  }
  // The same for the system client: connect + auth + one `true` (one process each time).
  const opensshMs: number[] = [];
  const opensshCurveMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    opensshMs.push((await sshOnce(fleet, host.port, "true", null)).ms);
    opensshCurveMs.push((await sshOnce(fleet, host.port, "true", null, CURVE25519)).ms);
  }
  return { ssh2ConnectMs: connectMs, ssh2ExecMs: execMs, opensshTrueMs: opensshMs, opensshCurveTrueMs: opensshCurveMs };
}

// --- main -----------------------------------------------------------------------------------------

type ScenarioResult = {
  scenario: ScenarioName;
  hosts: number;
  slipwayMs: number[];
  opensshMs: number[];
  slipway: { medianMs: number; minMs: number };
  openssh: { medianMs: number; minMs: number };
  ratio: number;
  /** Informational: OpenSSH pinned to curve25519-sha256, the key exchange ssh2 uses. */
  opensshCurve25519: { runsMs: number[]; medianMs: number; minMs: number; ratio: number };
  target: number;
  verdict: "PASS" | "MISS";
};

async function main(): Promise<number> {
  const startedAt = new Date();
  const machine = machineFacts();
  for (const bin of ["ssh", "unzip", "zip"])
    if (!hasProgram(bin))
      throw new Error(`${bin} is missing on this machine; run \`node scripts/ensure-system-deps.mjs\`.`);

  const revision = revisionSource();
  progress(`revision: ${revision.files} files, ${(revision.unpackedBytes / 1e6).toFixed(2)} MB unpacked, zip ${(revision.zipBytes / 1e6).toFixed(2)} MB`);
  let revisions = 0;

  let backend: Backend | undefined;
  let fleet: TestHosts | undefined;
  let stopping: Promise<void> | undefined;
  const cleanup = () =>
    (stopping ??= (async () => {
      await fleet?.stop().catch((e) => progress(`stopping hosts: ${(e as Error).message}`));
      await backend?.close().catch((e) => progress(`closing backend: ${(e as Error).message}`));
      revision.dispose();
    })());
  const onSignal = (sig: NodeJS.Signals) => {
    progress(`${sig}: stopping hosts and backend`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const t0 = performance.now();
    [backend, fleet] = await Promise.all([startBackend("pglite"), startTestHosts(HOSTS, { prefix: "bench" })]);
    progress(`backend (PGlite) and ${HOSTS} sshd test hosts up in ${Math.round(performance.now() - t0)} ms`);
    const b = backend;
    const f = fleet;

    for (const [i, h] of f.hosts.entries())
      await b.caller.hosts.register({
        name: h.name,
        address: h.address,
        port: h.port,
        username: "root",
        privateKey: f.privateKey,
        fingerprint: h.hostKeyFingerprint,
        tags: [
          { Key: "Fleet", Value: "bench" },
          { Key: "Name", Value: `bench-${i + 1}` },
        ],
      });
    await b.caller.applications.create({ applicationName: APP, computePlatform: "Server" });
    await b.caller.deploymentGroups.create({
      applicationName: APP,
      deploymentGroupName: SCENARIOS[0].group,
      deploymentConfigName: "CodeDeployDefault.OneAtATime",
      onPremisesTagFilters: [{ Key: "Name", Value: "bench-1", Type: "KEY_AND_VALUE" }],
    });
    await b.caller.deploymentGroups.create({
      applicationName: APP,
      deploymentGroupName: SCENARIOS[1].group,
      deploymentConfigName: "CodeDeployDefault.OneAtATime",
      onPremisesTagFilters: [{ Key: "Fleet", Value: "bench", Type: "KEY_AND_VALUE" }],
    });
    for (const s of ROLLBACK_SCENARIOS)
      await b.caller.deploymentGroups.create({
        applicationName: APP,
        deploymentGroupName: s.group,
        deploymentConfigName: "CodeDeployDefault.OneAtATime",
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE"] },
        onPremisesTagFilters:
          s.hosts === 1 ? [{ Key: "Name", Value: "bench-1", Type: "KEY_AND_VALUE" }] : [{ Key: "Fleet", Value: "bench", Type: "KEY_AND_VALUE" }],
      });
    const portsOf = (n: number) => f.hosts.slice(0, n).map((h) => h.port);
    const rollbacks = new Map<ScenarioName, RollbackRun[]>(ROLLBACK_SCENARIOS.map((s) => [s.name, []]));
    const rollbackTurns = new Map<ScenarioName, number>();

    const results = new Map<ScenarioName, { slipway: SlipwayRun[]; openssh: number[]; opensshPerHost: number[][]; curve: number[] }>();
    for (const s of SCENARIOS) results.set(s.name, { slipway: [], openssh: [], opensshPerHost: [], curve: [] });

    // Interleaved: every iteration runs both sides of both scenarios, alternating which side goes
    // first, so machine noise (and page-cache warmth) hits Slipway and OpenSSH alike.
    const turns = new Map<ScenarioName, number>();
    for (let round_ = 0; round_ < WARMUPS + RUNS; round_++) {
      const warm = round_ < WARMUPS;
      for (const s of SCENARIOS.flatMap((x) => Array<typeof x>(warm ? 1 : x.perRound).fill(x))) {
        const it = turns.get(s.name) ?? 0;
        turns.set(s.name, it + 1);
        const r = results.get(s.name)!;
        // A new revision for this turn, the same one for all three sides.
        const rev = revision.build(++revisions);
        const sides = [
          async () => {
            // Cold, like the baseline's fresh ssh: not the connection the last run left in the pool.
            await dropPooledConnections(portsOf(s.hosts));
            const run = await slipwayDeploy(b, s.group, s.hosts, rev, portsOf(s.hosts));
            if (!warm) r.slipway.push(run);
            return `slipway ${Math.round(run.ms)} ms`;
          },
          async () => {
            const run = await baselineDeploy(f, rev, s.hosts, s.group);
            if (!warm) {
              r.openssh.push(run.ms);
              r.opensshPerHost.push(run.perHostMs);
            }
            return `openssh ${Math.round(run.ms)} ms`;
          },
          async () => {
            const run = await baselineDeploy(f, rev, s.hosts, s.group, CURVE25519);
            if (!warm) r.curve.push(run.ms);
            return `openssh/curve25519 ${Math.round(run.ms)} ms`;
          },
        ];
        // Each scenario rotates which side goes first, and reverses the order every third run.
        for (let k = 0; k < it % sides.length; k++) sides.push(sides.shift()!);
        if (Math.floor(it / sides.length) % 2 === 1) sides.reverse();
        const said: string[] = [];
        for (const side of sides) said.push(await side());
        progress(`${warm ? "warm-up" : `round ${round_ - WARMUPS + 1}/${RUNS}`} ${s.name}: ${said.join(", ")}`);
      }
      for (const s of ROLLBACK_SCENARIOS.flatMap((x) => Array<typeof x>(warm ? 1 : x.perRound).fill(x))) {
        const it = rollbackTurns.get(s.name) ?? 0;
        rollbackTurns.set(s.name, it + 1);
        const n = ++revisions;
        const run = await rollbackTurn(b, s.group, s.hosts, portsOf(s.hosts), (v) => revision.build(n, v), it % 2 === 1);
        if (!warm) rollbacks.get(s.name)!.push(run);
        progress(
          `${warm ? "warm-up" : `round ${round_ - WARMUPS + 1}/${RUNS}`} rollback ${s.name}: rollback ${Math.round(run.ms)} ms, ` +
            `fresh ${Math.round(run.fresh.storedMs)} ms (${run.freshFirst ? "before" : "after"}), R1 ${Math.round(run.good.storedMs)} ms`,
        );
      }
    }

    // Both sides really delivered: the site and the hook lines are on every host.
    for (const h of f.hosts) {
      const blobs = fs.readdirSync(h.path("/var/www/html/assets")).filter((n) => n.endsWith(".bin")).length;
      const log = fs.readFileSync(h.path("/srv/bench.log"), "utf8");
      if (blobs !== 50 || !fs.existsSync(h.path("/var/www/html/index.html")) || !log.includes("ValidateService"))
        throw new Error(`${h.name}: the site or the hook log is missing after the runs`);
    }

    const scenarios: ScenarioResult[] = SCENARIOS.map((s) => {
      const r = results.get(s.name)!;
      const sw = r.slipway.map((x) => x.ms);
      const os_ = r.openssh;
      const ratio = median(sw) / median(os_);
      return {
        scenario: s.name,
        hosts: s.hosts,
        slipwayMs: sw.map((x) => round(x)),
        opensshMs: os_.map((x) => round(x)),
        slipway: { medianMs: round(median(sw)), minMs: round(min(sw)) },
        openssh: { medianMs: round(median(os_)), minMs: round(min(os_)) },
        ratio: round(ratio, 2),
        opensshCurve25519: {
          runsMs: r.curve.map((x) => round(x)),
          medianMs: round(median(r.curve)),
          minMs: round(min(r.curve)),
          ratio: round(median(sw) / median(r.curve), 2),
        },
        target: TARGET_RATIO,
        verdict: ratio <= TARGET_RATIO ? "PASS" : "MISS",
      };
    });

    // Where Slipway's time goes: per-event medians over the measured runs (per host), the
    // engine's own overhead around the hosts, then one extra, instrumented deployment for the
    // database, and the raw cost of an ssh2 connection and exec.
    progress("profiling (not part of the figures above)");
    const breakdown = SCENARIOS.map((s) => {
      const runs = results.get(s.name)!.slipway;
      const hostsAll = runs.flatMap((r) => r.targets);
      const events = Object.fromEntries(
        EVENTS.map((e) => [
          e,
          round(median(hostsAll.map((h) => h.events[e] ?? 0))),
        ]),
      );
      const eventsSum = sum(Object.values(events));
      const perHostWall = median(hostsAll.map((h) => h.endMs - h.startMs));
      // Between one host's last event and the next host's first: target bookkeeping, close, connect setup.
      const gaps = runs.flatMap((r) => r.targets.slice(1).map((t, i) => t.startMs - r.targets[i].endMs));
      return {
        scenario: s.name,
        perHostEventMedianMs: events,
        perHostEventsSumMs: round(eventsSum),
        perHostFirstStartToLastEndMs: round(perHostWall),
        betweenHostsGapMedianMs: gaps.length ? round(median(gaps)) : null,
        createToFirstEventMedianMs: round(median(runs.map((r) => r.pickupMs))),
        lastEventToCompleteMedianMs: round(median(runs.map((r) => r.wrapUpMs))),
        opensshPerHostMedianMs: round(median(results.get(s.name)!.opensshPerHost.flat())),
      };
    });
    const rollback = ROLLBACK_SCENARIOS.map((s) => summarizeRollback(s, rollbacks.get(s.name)!));
    const rollbackProfile = [];
    for (const s of ROLLBACK_SCENARIOS) {
      const n = ++revisions;
      rollbackProfile.push(await profileRollback(b, s, portsOf(s.hosts), (v) => revision.build(n, v)));
    }

    await dropPooledConnections(portsOf(HOSTS));
    const profiled = await withDbTiming(b, () => slipwayDeploy(b, SCENARIOS[1].group, HOSTS, revision.build(++revisions), portsOf(HOSTS)));
    const db = profiled.stats
      ? {
          deploymentMs: round(profiled.result.ms),
          transactions: profiled.stats.transactions.length,
          transactionsMs: round(sum(profiled.stats.transactions)),
          transactionMedianMs: round(median(profiled.stats.transactions), 2),
          queriesOutsideTransactions: profiled.stats.queries.length,
          queriesMs: round(sum(profiled.stats.queries)),
          queryMedianMs: round(median(profiled.stats.queries), 2),
        }
      : null;
    const costs = await ssh2Costs(f);
    const ssh = {
      ssh2ConnectMedianMs: round(median(costs.ssh2ConnectMs)),
      ssh2ExecMedianMs: round(median(costs.ssh2ExecMs), 2),
      opensshConnectAndTrueMedianMs: round(median(costs.opensshTrueMs)),
      opensshCurve25519ConnectAndTrueMedianMs: round(median(costs.opensshCurveTrueMs)),
    };

    machine.loadAverage.end = round(os.loadavg()[0], 2);
    const result = {
      benchmark: "slipway-deploy",
      date: startedAt.toISOString(),
      machine,
      revision: { zipBytes: revision.zipBytes, unpackedBytes: revision.unpackedBytes, files: revision.files, hooks: HOOKS.length },
      method: {
        measuredRounds: RUNS,
        runsPerRound: Object.fromEntries(SCENARIOS.map((x) => [x.name, x.perRound])),
        rollbackTurnsPerRound: Object.fromEntries(ROLLBACK_SCENARIOS.map((x) => [x.name, x.perRound])),
        warmups: WARMUPS,
        slipway: "caller.deployments.create -> engine.settled, PGlite, CodeDeployDefault.OneAtATime, new SSH connections (the engine's pooled ones closed first)",
        rollback:
          "failed deployment's completeTime -> rollback's completeTime; fresh = R1's files under a new key (new sha256), new SSH connections, createTime -> completeTime, same turn; ratio = rollback median / fresh median, target <= 0.5",
        openssh: "one fresh ssh process per host (zip on stdin, unzip, cp -R, 5 hooks), hosts one after another",
        opensshCurve25519: "the same with -o KexAlgorithms=curve25519-sha256 (informational)",
        statistic: "median (min also shown); ratio = Slipway median / OpenSSH median",
      },
      scenarios,
      profile: { breakdown, db, ssh },
      rollback,
      rollbackProfile,
    };

    printTable(result);
    if (JSON_OUT) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    return 0;
  } finally {
    await cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

type Result = {
  rollback: RollbackResult[];
  rollbackProfile: Awaited<ReturnType<typeof profileRollback>>[];
  date: string;
  machine: ReturnType<typeof machineFacts>;
  revision: { zipBytes: number; unpackedBytes: number; files: number; hooks: number };
  method: { measuredRounds: number; warmups: number };
  scenarios: ScenarioResult[];
  profile: {
    breakdown: {
      scenario: string;
      perHostEventMedianMs: Record<string, number>;
      perHostEventsSumMs: number;
      perHostFirstStartToLastEndMs: number;
      betweenHostsGapMedianMs: number | null;
      createToFirstEventMedianMs: number;
      lastEventToCompleteMedianMs: number;
      opensshPerHostMedianMs: number;
    }[];
    db: null | Record<string, number>;
    ssh: Record<string, number>;
  };
};

function printTable(r: Result) {
  const rows = [
    ["scenario", "runs", "Slipway median", "(min)", "OpenSSH median", "(min)", "ratio", "target", "result", "|", "OpenSSH curve25519", "ratio"],
    ...r.scenarios.map((s) => [
      s.scenario,
      String(s.slipwayMs.length),
      `${s.slipway.medianMs.toFixed(0)} ms`,
      `${s.slipway.minMs.toFixed(0)}`,
      `${s.openssh.medianMs.toFixed(0)} ms`,
      `${s.openssh.minMs.toFixed(0)}`,
      `${s.ratio.toFixed(2)}x`,
      `${s.target.toFixed(1)}x`,
      s.verdict,
      "|",
      `${s.opensshCurve25519.medianMs.toFixed(0)} ms`,
      `${s.opensshCurve25519.ratio.toFixed(2)}x`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  out();
  out(`Slipway deployment benchmark, ${r.date}`);
  out(
    `Revision: ${(r.revision.zipBytes / 1e6).toFixed(2)} MB zip (${r.revision.files} files, ${(r.revision.unpackedBytes / 1e6).toFixed(2)} MB unpacked), ` +
      `${r.revision.hooks} hooks; ${r.method.measuredRounds} measured rounds after ${r.method.warmups} warm-up, all sides interleaved.`,
  );
  out("Slipway: deployments.create -> engine.settled (PGlite, CodeDeployDefault.OneAtATime: hosts one after another), on new");
  out("SSH connections: the ones the engine keeps open 30 s after a deployment are closed before each run, as OpenSSH's are.");
  out("OpenSSH: one fresh `ssh` per host, zip on stdin -> unzip -> 5 hooks + cp -R; hosts one after another, like OneAtATime.");
  out("ratio = Slipway median / OpenSSH median (target: 2.0x or less). Right of |, for information: OpenSSH pinned to");
  out("curve25519-sha256, the key exchange ssh2 uses, instead of its default sntrup761x25519.");
  out();
  out(line(rows[0]));
  out(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows.slice(1)) out(line(row));
  out();
  out("Where Slipway's time goes (medians over the measured runs; not part of the ratio):");
  for (const p of r.profile.breakdown) {
    const ev = Object.entries(p.perHostEventMedianMs)
      .map(([k, v]) => `${k} ${v.toFixed(0)}`)
      .join(", ");
    out(`  ${p.scenario}: per host ${p.perHostFirstStartToLastEndMs.toFixed(0)} ms (OpenSSH: ${p.opensshPerHostMedianMs.toFixed(0)} ms): ${ev}`);
    out(
      `    create -> first event ${p.createToFirstEventMedianMs.toFixed(0)} ms, last event -> complete ${p.lastEventToCompleteMedianMs.toFixed(0)} ms` +
        (p.betweenHostsGapMedianMs === null ? "" : `, between hosts ${p.betweenHostsGapMedianMs.toFixed(0)} ms`),
    );
  }
  const s = r.profile.ssh;
  out(
    `  ssh2 connect (as Slipway opens it) ${s.ssh2ConnectMedianMs} ms, one exec on it ${s.ssh2ExecMedianMs} ms; ` +
      `OpenSSH fresh connection + \`true\` ${s.opensshConnectAndTrueMedianMs} ms (curve25519: ${s.opensshCurve25519ConnectAndTrueMedianMs} ms)`,
  );
  const d = r.profile.db;
  if (d)
    out(
      `  database (one extra instrumented 10-host deployment, ${d.deploymentMs} ms): ${d.transactions} transactions, ${d.transactionsMs} ms ` +
        `(median ${d.transactionMedianMs} ms); ${d.queriesOutsideTransactions} other queries, ${d.queriesMs} ms (median ${d.queryMedianMs} ms)`,
    );
  out();
  printRollback(r.rollback);
  for (const p of r.rollbackProfile)
    out(
      `  profiled rollback, ${p.scenario} (one extra turn, ${p.rollbackMs} ms): ${p.transactions} database transactions, ${p.transactionsMs} ms; ` +
        `${p.queriesOutsideTransactions} other queries, ${p.queriesMs} ms; a round trip in flight ${p.databaseBusyMs} ms of it; ` +
        `Node's event loop busy ${Math.round(p.eventLoopUtilization * 100)}%`,
    );
  if (r.rollbackProfile.length) out();
  const m = r.machine;
  out(`Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB RAM; ${m.kernel}; Node ${m.node}; ${m.openssh}`);
  out(`Load average (1 min) at start ${m.loadAverage.start}, at end ${m.loadAverage.end}: more than the core count means other work shared the machine.`);
  out();
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
