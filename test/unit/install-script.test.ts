import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCleanupFile, renderCleanupLines } from "@/server/appspec/cleanup";
import {
  installCandidates,
  planInstall,
  renderInstallScript,
  type ArchiveEntry,
  type HostPathType,
  type InstallPlan,
} from "@/server/appspec/install-plan";
import type { AppSpec } from "@/server/appspec/types";

const EMPTY_PLAN: InstallPlan = { removals: [], mkdirs: [], keptDirectories: [], copies: [], cleanup: [], retained: [], unchanged: [], permissions: [] };
const OPTS = { archiveDir: "/d/archive", cleanupFile: "/d/i/g-cleanup", lastSuccessfulInstallFile: "/d/i/g_last", deploymentDir: "/d" };

describe("renderInstallScript", () => {
  it("quotes every path and batches copies into one cp per directory", () => {
    const script = renderInstallScript(
      {
        ...EMPTY_PLAN,
        mkdirs: ["/opt/it's here"],
        copies: [
          { from: "a/1.txt", to: "/opt/it's here/1.txt", kind: "file", replace: false },
          { from: "a/$(x)", to: "/opt/it's here/$(x)", kind: "file", replace: true },
        ],
        permissions: [{ path: "/opt/it's here/1.txt", mode: "4755", owner: "app" }],
      },
      OPTS,
    );
    expect(script).toContain(`mkdir -p -- '/opt/it'\\''s here'`);
    expect(script).toContain(`rm -f -- '/opt/it'\\''s here/$(x)'`);
    expect(script.match(/^cp -RPp -- a\/1.txt 'a\/\$\(x\)' '\/opt\/it'\\''s here\/' /m)).not.toBeNull();
    // setuid survives chown: chmod, chown, chmod again.
    const order = script.split("\n").filter((l) => /^ch(mod|own)/.test(l)).map((l) => l.split(" ")[0]);
    expect(order).toEqual(["chmod", "chown", "chmod"]);
  });

  it("chunks long argument lists", () => {
    const removals = Array.from({ length: 1000 }, (_, i) => `/opt/app/f${i}`);
    const lines = renderInstallScript({ ...EMPTY_PLAN, removals }, OPTS).split("\n");
    expect(lines.filter((l) => l.startsWith("rmfiles ")).length).toBe(3);
  });
});

describe("renderInstallScript, run with /bin/sh", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-install-"));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  const write = (rel: string, content = rel, mode = 0o644) => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    fs.chmodSync(file, mode);
  };

  /** What the caller does over SSH: list the revision, probe the host, plan, run the script. */
  function install(spec: AppSpec) {
    const archiveDir = path.join(root, "archive");
    const entries: ArchiveEntry[] = [];
    const walk = (dir: string) => {
      for (const name of fs.readdirSync(path.join(archiveDir, dir)).sort()) {
        const rel = dir ? `${dir}/${name}` : name;
        const st = fs.lstatSync(path.join(archiveDir, rel));
        entries.push({ path: rel, type: st.isSymbolicLink() ? "symlink" : st.isDirectory() ? "directory" : "file" });
        if (st.isDirectory()) walk(rel);
      }
    };
    walk("");
    const existing: Record<string, HostPathType> = {};
    for (const p of installCandidates(spec, entries)) {
      const st = fs.lstatSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      existing[p] = fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : "file";
    }
    const cleanupFile = path.join(root, "instructions", "g-cleanup");
    const previousCleanup = fs.existsSync(cleanupFile) ? parseCleanupFile(fs.readFileSync(cleanupFile, "utf8")) : [];
    const plan = planInstall({ spec, entries, previousCleanup, existing, fileExistsBehavior: "DISALLOW" });
    const opts = {
      archiveDir,
      cleanupFile,
      lastSuccessfulInstallFile: path.join(root, "instructions", "g_last_successful_install"),
      deploymentDir: path.join(root, "d-123"),
    };
    execFileSync("/bin/sh", ["-s"], { input: renderInstallScript(plan, opts), stdio: ["pipe", "pipe", "pipe"] });
    return { plan, ...opts };
  }

  it("removes the previous install newest first, keeps non-empty directories, copies and records", () => {
    const app = path.join(root, "host", "app");
    // The previous deployment: its cleanup list (with a torn last line), plus a file it did not install.
    write("host/app/old.txt");
    write("host/app/olddir/f");
    write("host/app/keep/owned.txt");
    write("host/app/keep/foreign.txt");
    write("host/app/index.html", "old index");
    const previous = ["", "/old.txt", "/olddir", "/olddir/f", "/keep", "/keep/owned.txt", "/gone.txt", "/index.html"];
    write("instructions/g-cleanup", `${renderCleanupLines(previous.map((p) => app + p))}${app}/tor`);
    write("host/app/tor", "torn line: not ours");

    write("archive/appspec.yml");
    write("archive/index.html", "new index", 0o604);
    write("archive/bin/run.sh", "#!/bin/sh\n", 0o755);
    write("archive/bin/we'ird name.txt");
    fs.symlinkSync("index.html", path.join(root, "archive", "current"));
    const me = os.userInfo().username;
    const spec: AppSpec = {
      version: "0.0",
      os: "linux",
      hooks: {},
      files: [{ source: "/", destination: app }],
      permissions: [{ object: `${app}/bin`, pattern: "*.sh", except: [], mode: "0750", owner: me }],
    };

    const first = install(spec);
    expect(fs.existsSync(`${app}/old.txt`)).toBe(false);
    expect(fs.existsSync(`${app}/olddir`)).toBe(false);
    expect(fs.existsSync(`${app}/keep/owned.txt`)).toBe(false);
    expect(fs.readFileSync(`${app}/keep/foreign.txt`, "utf8")).toBe("host/app/keep/foreign.txt");
    expect(fs.readFileSync(`${app}/tor`, "utf8")).toBe("torn line: not ours");
    expect(fs.readFileSync(`${app}/index.html`, "utf8")).toBe("new index");
    expect(fs.statSync(`${app}/index.html`).mode & 0o777).toBe(0o604);
    expect(fs.statSync(`${app}/bin/run.sh`).mode & 0o7777).toBe(0o750);
    expect(fs.readFileSync(`${app}/bin/we'ird name.txt`, "utf8")).toBe("archive/bin/we'ird name.txt");
    expect(fs.readlinkSync(`${app}/current`)).toBe("index.html");
    // The app directory was owned before, and still is (kept, not made again); bin is new.
    expect(first.plan.keptDirectories).toEqual([app]);
    expect(first.plan.mkdirs).toEqual([`${app}/bin`]);
    expect(fs.readFileSync(first.cleanupFile, "utf8")).toBe(renderCleanupLines(first.plan.cleanup));
    expect(fs.readFileSync(first.lastSuccessfulInstallFile, "utf8")).toBe(first.deploymentDir);

    // Redeploying over it under DISALLOW works: everything in the way is on the cleanup list.
    fs.writeFileSync(`${app}/index.html`, "edited on the host");
    const second = install(spec);
    expect(second.plan.cleanup).toEqual(first.plan.cleanup);
    expect(fs.readFileSync(`${app}/index.html`, "utf8")).toBe("new index");
    expect(fs.readFileSync(`${app}/keep/foreign.txt`, "utf8")).toBe("host/app/keep/foreign.txt");
  });

  it("fails with a clear message on stderr when a copy fails", () => {
    write("archive/a.txt");
    const plan: InstallPlan = { ...EMPTY_PLAN, copies: [{ from: "a.txt", to: path.join(root, "missing-dir", "a.txt"), kind: "file", replace: false }] };
    const script = renderInstallScript(plan, {
      archiveDir: path.join(root, "archive"),
      cleanupFile: path.join(root, "i", "cleanup"),
      lastSuccessfulInstallFile: path.join(root, "i", "last"),
      deploymentDir: "/d",
    });
    expect(() => execFileSync("/bin/sh", ["-s"], { input: script, stdio: ["pipe", "pipe", "pipe"] })).toThrow(/Install failed: could not copy files into/);
    expect(fs.existsSync(path.join(root, "i", "last"))).toBe(false);
  });
});
