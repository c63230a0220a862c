// The measured rounds: every round runs the deployment scenarios on all three sides (Slipway,
// OpenSSH, OpenSSH pinned to curve25519) and then the rollback scenario's turns.
import type { Backend } from "../test/support/backend";
import type { TestHosts } from "../test/support/test-hosts";
import { ROLLBACK_SCENARIOS, RUNS, SCENARIOS, WARMUPS, progress, type ScenarioName } from "./config";
import { portsOf } from "./fleet";
import { CURVE25519, baselineDeploy } from "./openssh";
import type { RevisionSource } from "./revision";
import { rollbackTurn, type RollbackRun } from "./rollback";
import { dropPooledConnections, slipwayDeploy, type SlipwayRun } from "./slipway";

export type ScenarioRuns = { slipway: SlipwayRun[]; openssh: number[]; opensshPerHost: number[][]; curve: number[] };

/** `nextRevision` numbers the revisions: each run deploys one no host holds yet. */
export async function runRounds(b: Backend, f: TestHosts, revision: RevisionSource, nextRevision: () => number) {
  const rollbacks = new Map<ScenarioName, RollbackRun[]>(ROLLBACK_SCENARIOS.map((s) => [s.name, []]));
  const rollbackTurns = new Map<ScenarioName, number>();

  const results = new Map<ScenarioName, ScenarioRuns>();
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
      const rev = revision.build(nextRevision());
      const sides = [
        async () => {
          // Cold, like the baseline's fresh ssh: not the connection the last run left in the pool.
          await dropPooledConnections(b, portsOf(f, s.hosts));
          const run = await slipwayDeploy(b, s.group, s.hosts, rev, portsOf(f, s.hosts));
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
      const n = nextRevision();
      const run = await rollbackTurn(b, s.group, s.hosts, portsOf(f, s.hosts), (v) => revision.build(n, v), it % 2 === 1);
      if (!warm) rollbacks.get(s.name)!.push(run);
      progress(
        `${warm ? "warm-up" : `round ${round_ - WARMUPS + 1}/${RUNS}`} rollback ${s.name}: rollback ${Math.round(run.ms)} ms, ` +
          `fresh ${Math.round(run.fresh.storedMs)} ms (${run.freshFirst ? "before" : "after"}), R1 ${Math.round(run.good.storedMs)} ms`,
      );
    }
  }
  return { results, rollbacks };
}
