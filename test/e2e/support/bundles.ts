import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A revision's files by their path inside the bundle. */
export type BundleFiles = Record<string, string>;

/** One lifecycle event's script in an appspec. */
export type AppspecHook = { location: string; timeout?: number };

/**
 * The appspec of a static site: /site installed into /var/www/html, then these hooks in order.
 * For the browser tests whose hooks differ from test/support/static-site.ts.
 */
export function siteAppspec(hooks: Record<string, AppspecHook>): string {
  const lines = ["version: 0.0", "os: linux", "files:", "  - source: /site", "    destination: /var/www/html", "hooks:"];
  for (const [event, hook] of Object.entries(hooks)) {
    lines.push(`  ${event}:`, `    - location: ${hook.location}`);
    if (hook.timeout !== undefined) lines.push(`      timeout: ${hook.timeout}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A temporary directory of zip revisions, each built from `<name>.src/`. */
export type BundleDir = {
  readonly dir: string;
  /** Builds `name` with the system `zip`, as a developer would (scripts keep mode 0755); returns its path. */
  zip(name: string, files: BundleFiles): string;
  /** A file of the zip `name` as it was written before zipping. */
  read(name: string, rel: string): Buffer;
  remove(): void;
};

export function createBundleDir(prefix: string): BundleDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const srcOf = (name: string) => path.join(dir, `${name}.src`);
  return {
    dir,
    zip(name, files) {
      const src = srcOf(name);
      for (const [rel, content] of Object.entries(files)) {
        const file = path.join(src, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content, { mode: rel.endsWith(".sh") ? 0o755 : 0o644 });
      }
      const out = path.join(dir, name);
      execFileSync("zip", ["-q", "-r", out, "."], { cwd: src });
      return out;
    },
    read: (name, rel) => fs.readFileSync(path.join(srcOf(name), rel)),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
