// The deployment scenarios' figures from their measured runs: Slipway's median against OpenSSH's
// (the ratio and its verdict), and where Slipway's time went on each host.
import { TARGET_RATIO, type Scenario, type ScenarioName } from "./config";
import type { ScenarioRuns } from "./rounds";
import { eventMedians } from "./slipway";
import { median, round, stat, sum } from "./stats";

export type ScenarioResult = {
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

export function summarizeScenario(s: Scenario, r: ScenarioRuns): ScenarioResult {
  const sw = r.slipway.map((x) => x.ms);
  const os_ = r.openssh;
  const ratio = median(sw) / median(os_);
  return {
    scenario: s.name,
    hosts: s.hosts,
    slipwayMs: sw.map((x) => round(x)),
    opensshMs: os_.map((x) => round(x)),
    slipway: stat(sw),
    openssh: stat(os_),
    ratio: round(ratio, 2),
    opensshCurve25519: {
      runsMs: r.curve.map((x) => round(x)),
      ...stat(r.curve),
      ratio: round(median(sw) / median(r.curve), 2),
    },
    target: TARGET_RATIO,
    verdict: ratio <= TARGET_RATIO ? "PASS" : "MISS",
  };
}

/**
 * Where Slipway's time goes: per-event medians over the measured runs (per host), and the
 * engine's own overhead around the hosts, next to what one host costs OpenSSH.
 */
export function deployBreakdown(s: Scenario, r: ScenarioRuns) {
  const runs = r.slipway;
  const hostsAll = runs.flatMap((x) => x.targets);
  const events = eventMedians(hostsAll);
  // Between one host's last event and the next host's first: target bookkeeping, close, connect setup.
  const gaps = runs.flatMap((x) => x.targets.slice(1).map((t, i) => t.startMs - x.targets[i].endMs));
  return {
    scenario: s.name,
    perHostEventMedianMs: events,
    perHostEventsSumMs: round(sum(Object.values(events))),
    perHostFirstStartToLastEndMs: round(median(hostsAll.map((h) => h.endMs - h.startMs))),
    betweenHostsGapMedianMs: gaps.length ? round(median(gaps)) : null,
    createToFirstEventMedianMs: round(median(runs.map((x) => x.pickupMs))),
    lastEventToCompleteMedianMs: round(median(runs.map((x) => x.wrapUpMs))),
    opensshPerHostMedianMs: round(median(r.opensshPerHost.flat())),
  };
}
export type DeployBreakdown = ReturnType<typeof deployBreakdown>;
