// The report: the tables and lines `npm run bench` prints (on stderr under --json), from the
// result document that --json writes.
import { EVENTS, out } from "./config";
import type { Machine } from "./machine";
import type { profileDeployment, profileRollback, sshCosts } from "./profiling";
import type { RollbackResult } from "./rollback";
import type { DeployBreakdown, ScenarioResult } from "./summary";

export type Result = {
  rollback: RollbackResult[];
  rollbackProfile: Awaited<ReturnType<typeof profileRollback>>[];
  date: string;
  machine: Machine;
  revision: { zipBytes: number; unpackedBytes: number; files: number; hooks: number };
  method: { measuredRounds: number; warmups: number };
  scenarios: ScenarioResult[];
  profile: {
    breakdown: DeployBreakdown[];
    db: Awaited<ReturnType<typeof profileDeployment>>;
    ssh: Awaited<ReturnType<typeof sshCosts>>;
  };
};

type Stat = { medianMs: number; minMs: number };
/** A median and its min, as both tables print them. */
const statCells = (s: Stat) => [`${s.medianMs.toFixed(0)} ms`, `${s.minMs.toFixed(0)}`];
/** The ratio, the target it is held to and whether it met it. */
const verdictCells = (r: { ratio: number; target: number; verdict: string }) => [`${r.ratio.toFixed(2)}x`, `${r.target.toFixed(1)}x`, r.verdict];

/**
 * Columns padded to their widest cell, two spaces apart; the first (the row's name) left-aligned,
 * the figures right-aligned. `rule` is a line of dashes as wide as each column.
 */
function aligned(rows: string[][]): { lines: string[]; rule: string } {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return {
    lines: rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")),
    rule: widths.map((w) => "-".repeat(w)).join("  "),
  };
}

/** A table whose first row is its header, with a rule under it. */
function printRuled(table: { lines: string[]; rule: string }) {
  out(table.lines[0]);
  out(table.rule);
  for (const l of table.lines.slice(1)) out(l);
}

export function printReport(r: Result) {
  const rows = [
    ["scenario", "runs", "Slipway median", "(min)", "OpenSSH median", "(min)", "ratio", "target", "result", "|", "OpenSSH curve25519", "ratio"],
    ...r.scenarios.map((s) => [
      s.scenario,
      String(s.slipwayMs.length),
      ...statCells(s.slipway),
      ...statCells(s.openssh),
      ...verdictCells(s),
      "|",
      `${s.opensshCurve25519.medianMs.toFixed(0)} ms`,
      `${s.opensshCurve25519.ratio.toFixed(2)}x`,
    ]),
  ];
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
  printRuled(aligned(rows));
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

function printRollback(rs: RollbackResult[]) {
  const rows = [
    ["scenario", "runs", "rollback median", "(min)", "fresh median", "(min)", "ratio", "target", "result", "|", "per turn", "|", "fresh, pooled conns", "(min)", "ratio"],
    ...rs.map((r) => [
      r.scenario,
      String(r.runs),
      ...statCells(r.rollback),
      ...statCells(r.fresh),
      ...verdictCells(r),
      "|",
      `${r.pairedRatioMedian.toFixed(2)}x`,
      "|",
      ...statCells(r.freshWarm),
      `${r.freshWarm.ratio.toFixed(2)}x`,
    ]),
  ];
  out("Rollback: failure detected (the failed deployment's completeTime) -> rollback Succeeded (the rollback's completeTime),");
  out("next to a fresh deployment of the same files: creation -> completion (stored times), a bundle no host holds, new SSH");
  out("connections, the group's OneAtATime. ratio = rollback median / fresh median (target: 0.5x or less).");
  out("Each turn: R1 (good) Succeeded; R2, whose ApplicationStart exits 1, fails on the first host (the others Skipped);");
  out("the rollback Slipway starts redeploys R1, reusing its bundle on every host. The fresh deployment runs in the same turn,");
  out("before R1 or after the rollback, alternating. Right of |, for information: the median of each turn's own ratio; then R1");
  out("itself, a fresh deployment (new bundle) on the SSH connections the engine's pool still held (kept 30 s), and its ratio.");
  out();
  printRuled(aligned(rows));
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
  for (const l of aligned(evRows).lines) out("  " + l);
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
