// The bench's options (command line) and its fixed shape: the revision's hooks, the scenarios and
// their targets. Everything else in bench/ reads them from here.

const argv = process.argv.slice(2);
export const JSON_OUT = argv.includes("--json");
export const RUNS = intOption("--runs", 5);
export const WARMUPS = intOption("--warmups", 1);
export const HOSTS = 10;
export const TARGET_RATIO = 2.0;
export const APP = "BenchApp";
export const BUCKET = "bench";
export const HOOKS = ["ApplicationStop", "BeforeInstall", "AfterInstall", "ApplicationStart", "ValidateService"] as const;
export type Hook = (typeof HOOKS)[number];
export const HOOK_FILE: Record<Hook, string> = {
  ApplicationStop: "scripts/application_stop.sh",
  BeforeInstall: "scripts/before_install.sh",
  AfterInstall: "scripts/after_install.sh",
  ApplicationStart: "scripts/application_start.sh",
  ValidateService: "scripts/validate_service.sh",
};
export const SCENARIOS = [
  // A 1-host run is short and noisy, so each round runs it 3 times (3x the measured runs).
  { name: "1 host", group: "Bench-One", hosts: 1, perRound: 3 },
  { name: "10 hosts", group: "Bench-All", hosts: HOSTS, perRound: 1 },
] as const;
export type Scenario = (typeof SCENARIOS)[number];
export type ScenarioName = Scenario["name"];
/** Rollback: groups of their own (same hosts), with autoRollbackConfiguration on DEPLOYMENT_FAILURE. */
export const ROLLBACK_SCENARIOS = [
  { name: "1 host", group: "Bench-Rollback-One", hosts: 1, perRound: 2 },
  { name: "10 hosts", group: "Bench-Rollback-All", hosts: HOSTS, perRound: 1 },
] as const;
export type RollbackScenario = (typeof ROLLBACK_SCENARIOS)[number];
export const ROLLBACK_TARGET = 0.5; // rollback time <= half a fresh deployment's
export const EVENTS = ["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"] as const;

function intOption(name: string, fallback: number): number {
  const i = argv.indexOf(name);
  const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < (name === "--warmups" ? 0 : 1)) throw new Error(`${name} needs a positive whole number, got ${raw}`);
  return n;
}

/** Progress and the table go to stderr under --json, so stdout is only the JSON document. */
export const out = (line = "") => (JSON_OUT ? process.stderr : process.stdout).write(line + "\n");
export const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
