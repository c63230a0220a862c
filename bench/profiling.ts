// Where Slipway's time goes, measured outside the figures: every PGlite round trip timed, the
// event loop sampled, and the raw cost of an ssh2 connection and exec next to OpenSSH's.
import { performance } from "node:perf_hooks";
import { connectHost } from "../server/host/connection";
import type { Backend } from "../test/support/backend";
import { loginOf, type TestHosts } from "../test/support/test-hosts";
import type { RollbackScenario } from "./config";
import { CURVE25519, sshOnce } from "./openssh";
import type { Rev, RevVariant } from "./revision";
import { rollbackTurn, type RollbackRun } from "./rollback";
import { dropPooledConnections, slipwayDeploy } from "./slipway";
import { median, round, sum } from "./stats";

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
/**
 * One extra rollback turn (not in the figures) with every PGlite round trip timed and the event
 * loop sampled every 10 ms: how much of the rollback window the database takes, and how busy
 * Node's one thread (ssh2's crypto, PGlite's WebAssembly, the engine) is in it.
 */
export async function profileRollback(b: Backend, s: RollbackScenario, ports: readonly number[], build: (v?: RevVariant) => Rev) {
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

/** One extra, instrumented deployment (new connections): its database transactions and queries. */
export async function profileDeployment(b: Backend, group: string, hosts: number, ports: readonly number[], build: () => Rev) {
  await dropPooledConnections(b, ports);
  const profiled = await withDbTiming(b, () => slipwayDeploy(b, group, hosts, build(), ports));
  return profiled.stats
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
}

async function ssh2Costs(fleet: TestHosts) {
  const host = fleet.hosts[0];
  const connectMs: number[] = [];
  const execMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const conn = await connectHost(loginOf(fleet, host));
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

/** ssh2Costs' medians, as the report prints them. */
export async function sshCosts(fleet: TestHosts) {
  const costs = await ssh2Costs(fleet);
  return {
    ssh2ConnectMedianMs: round(median(costs.ssh2ConnectMs)),
    ssh2ExecMedianMs: round(median(costs.ssh2ExecMs), 2),
    opensshConnectAndTrueMedianMs: round(median(costs.opensshTrueMs)),
    opensshCurve25519ConnectAndTrueMedianMs: round(median(costs.opensshCurveTrueMs)),
  };
}
