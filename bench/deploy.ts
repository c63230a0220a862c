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
//
// The modules beside this one, by idea: config (options, scenarios), revision (the zip each run
// deploys), fleet (hosts and groups in Slipway), slipway and openssh (the two sides), rollback,
// rounds (the interleaved measured runs), summary and stats (the figures), profiling (outside the
// figures), machine and report (what is printed).
import os from "node:os";
import { performance } from "node:perf_hooks";
import { startBackend, type Backend } from "../test/support/backend";
import { startTestHosts, type TestHosts } from "../test/support/test-hosts";
import { HOOKS, HOSTS, JSON_OUT, ROLLBACK_SCENARIOS, RUNS, SCENARIOS, WARMUPS, progress } from "./config";
import { checkDelivered, portsOf, registerFleet } from "./fleet";
import { hasProgram, machineFacts } from "./machine";
import { profileDeployment, profileRollback, sshCosts } from "./profiling";
import { printReport } from "./report";
import { revisionSource } from "./revision";
import { summarizeRollback } from "./rollback";
import { runRounds } from "./rounds";
import { round } from "./stats";
import { deployBreakdown, summarizeScenario } from "./summary";

async function main(): Promise<number> {
  const startedAt = new Date();
  const machine = machineFacts();
  for (const bin of ["ssh", "unzip", "zip"])
    if (!hasProgram(bin))
      throw new Error(`${bin} is missing on this machine; run \`node scripts/ensure-system-deps.mjs\`.`);

  const revision = revisionSource();
  progress(`revision: ${revision.files} files, ${(revision.unpackedBytes / 1e6).toFixed(2)} MB unpacked, zip ${(revision.zipBytes / 1e6).toFixed(2)} MB`);
  let revisions = 0;
  const nextRevision = () => ++revisions;

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
    await registerFleet(b, f);

    const { results, rollbacks } = await runRounds(b, f, revision, nextRevision);
    checkDelivered(f);
    const scenarios = SCENARIOS.map((s) => summarizeScenario(s, results.get(s.name)!));

    // Where Slipway's time goes: per-event medians over the measured runs (per host), the
    // engine's own overhead around the hosts, then one extra, instrumented deployment for the
    // database, and the raw cost of an ssh2 connection and exec.
    progress("profiling (not part of the figures above)");
    const breakdown = SCENARIOS.map((s) => deployBreakdown(s, results.get(s.name)!));
    const rollback = ROLLBACK_SCENARIOS.map((s) => summarizeRollback(s, rollbacks.get(s.name)!));
    const rollbackProfile = [];
    for (const s of ROLLBACK_SCENARIOS) {
      const n = nextRevision();
      rollbackProfile.push(await profileRollback(b, s, portsOf(f, s.hosts), (v) => revision.build(n, v)));
    }
    const db = await profileDeployment(b, SCENARIOS[1].group, HOSTS, portsOf(f, HOSTS), () => revision.build(nextRevision()));
    const ssh = await sshCosts(f);

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

    printReport(result);
    if (JSON_OUT) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    return 0;
  } finally {
    await cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench: failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
