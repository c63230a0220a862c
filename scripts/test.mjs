#!/usr/bin/env node
// `npm test`: everything, in order: system packages (apt-get when root), lint, type check,
// unit, integration (real sshd hosts, PGlite and PostgreSQL) and browser tests (Chromium).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildIfNeeded } from "./start.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const bin = (name) => path.join(root, "node_modules", ".bin", name);

const steps = [
  ["system packages and PostgreSQL", process.execPath, ["scripts/ensure-system-deps.mjs"]],
  ["lint", bin("eslint"), ["."]],
  ["type check", bin("tsc"), ["--noEmit"]],
  ["unit tests", bin("vitest"), ["run", "--project", "unit"]],
  ["integration tests", bin("vitest"), ["run", "--project", "integration"]],
  ["console build", null, []],
  ["browser tests", bin("playwright"), ["test"]],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args] of steps) {
  if (only.length && !only.some((o) => name.startsWith(o))) continue;
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  let ok;
  if (cmd === null) {
    buildIfNeeded();
    ok = true;
  } else {
    const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    ok = r.status === 0;
  }
  results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  if (!ok) break;
}

console.log("\n=== summary ===");
for (const r of results) console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.seconds.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
