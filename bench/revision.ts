// The revision every run deploys: a ~1 MB zip with an appspec and 5 hooks, rebuilt per run.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HOOK_FILE, HOOKS, type Hook } from "./config";
import { sum } from "./stats";

export type Rev = { key: string; zip: Buffer };
/** A sibling of a revision for the rollback benchmark (see `build` below). */
export type RevVariant = "bad" | "fresh";

/**
 * appspec.yml (files: /site -> /var/www/html; the 5 hooks, one tiny script each) and site/ with
 * index.html plus 50 files of 20 KiB random data: about 1 MB that zip cannot shrink.
 *
 * Every run gets its own revision (index.html names the run): Slipway reuses a bundle a host
 * already holds when its sha256 matches, and a benchmark of "upload, unpack, copy, run" must not
 * measure a redeploy that uploads nothing.
 */
export function revisionSource() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-bench-rev-"));
  const src = path.join(dir, "src");
  const write = (rel: string, content: string | Buffer, mode = 0o644) => {
    const file = path.join(src, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
  };
  const hooks = HOOKS.map((e) => `  ${e}:\n    - location: ${HOOK_FILE[e]}\n      timeout: 60\n`).join("");
  write("appspec.yml", `version: 0.0\nos: linux\nfiles:\n  - source: /site\n    destination: /var/www/html\nhooks:\n${hooks}`);
  const hookScript = (e: Hook, fail: boolean) =>
    `#!/bin/sh\necho "$LIFECYCLE_EVENT $DEPLOYMENT_ID $DEPLOYMENT_GROUP_NAME" >> /srv/bench.log\n` +
    (fail ? `echo "${e} fails on purpose (bench: bad revision)" >&2\nexit 1\n` : `echo "${e} done"\n`);
  for (const e of HOOKS) write(HOOK_FILE[e], hookScript(e, false), 0o755);
  for (let i = 0; i < 50; i++) write(`site/assets/blob-${String(i).padStart(2, "0")}.bin`, crypto.randomBytes(20 * 1024));
  /**
   * Revision n. `variant` names a sibling of revision n for the rollback benchmark: the same
   * files plus a NONCE file at the bundle root (not installed: only /site is), so its sha256
   * differs and no host holds it; "bad" also makes ApplicationStart exit 1.
   */
  const build = (n: number, variant?: RevVariant): Rev => {
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
export type RevisionSource = ReturnType<typeof revisionSource>;
