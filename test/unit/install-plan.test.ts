import { describe, expect, it } from "vitest";
import {
  installCandidates,
  InstallPlanError,
  planInstall,
  type ArchiveEntry,
  type PlanInstallInput,
} from "@/server/appspec/install-plan";
import type { AppSpec, FileMapping, PermissionSpec } from "@/server/appspec/types";

/** "dir/" is a directory, "name@" a symlink, anything else a file. */
function entries(...paths: string[]): ArchiveEntry[] {
  return paths.map((p) =>
    p.endsWith("/")
      ? { path: p.slice(0, -1), type: "directory" }
      : p.endsWith("@")
        ? { path: p.slice(0, -1), type: "symlink" }
        : { path: p, type: "file" },
  );
}

function spec(files: FileMapping[], extra: Partial<AppSpec> = {}): AppSpec {
  return { version: "0.0", os: "linux", hooks: {}, files, permissions: [], ...extra };
}

function plan(input: Partial<PlanInstallInput> & Pick<PlanInstallInput, "spec" | "entries">) {
  return planInstall({ previousCleanup: [], existing: {}, fileExistsBehavior: "DISALLOW", ...input });
}

function planError(input: Parameters<typeof plan>[0]): InstallPlanError {
  try {
    plan(input);
  } catch (err) {
    expect(err).toBeInstanceOf(InstallPlanError);
    return err as InstallPlanError;
  }
  throw new Error("expected an InstallPlanError");
}

const WEB = entries("appspec.yml", "build/", "build/index.html", "build/css/site.css");

describe("planInstall: where files go", () => {
  it("copies a directory source's contents recursively, creating missing parents outermost first", () => {
    const p = plan({ spec: spec([{ source: "build", destination: "/srv/www/app" }]), entries: WEB, existing: { "/srv": "directory" } });
    expect(p.mkdirs).toEqual(["/srv/www", "/srv/www/app", "/srv/www/app/css"]);
    expect(p.copies).toEqual([
      { from: "build/css/site.css", to: "/srv/www/app/css/site.css", kind: "file", replace: false },
      { from: "build/index.html", to: "/srv/www/app/index.html", kind: "file", replace: false },
    ]);
    expect(p.cleanup).toEqual([...p.mkdirs, "/srv/www/app/css/site.css", "/srv/www/app/index.html"]);
    expect(p.removals).toEqual([]);
    expect(p.retained).toEqual([]);
  });

  it("puts a file source at destination/<basename>", () => {
    const p = plan({ spec: spec([{ source: "build/css/site.css", destination: "/etc/app/" }]), entries: WEB, existing: { "/etc": "directory" } });
    expect(p.mkdirs).toEqual(["/etc/app"]);
    expect(p.copies).toEqual([{ from: "build/css/site.css", to: "/etc/app/site.css", kind: "file", replace: false }]);
  });

  it('treats "/" and "." as the revision root, the appspec included', () => {
    for (const source of ["/", ".", "./"]) {
      const p = plan({ spec: spec([{ source, destination: "/opt//app" }]), entries: WEB, existing: { "/opt": "directory", "/opt/app": "directory" } });
      expect(p.mkdirs).toEqual(["/opt/app/build", "/opt/app/build/css"]);
      expect(p.copies.map((c) => c.to)).toEqual(["/opt/app/appspec.yml", "/opt/app/build/css/site.css", "/opt/app/build/index.html"]);
    }
  });

  it("infers directories a zip leaves implicit and installs symlinks as symlinks", () => {
    const p = plan({ spec: spec([{ source: "/", destination: "/opt/app" }]), entries: entries("lib/a/b.js", "current@"), existing: { "/opt": "directory" } });
    expect(p.mkdirs).toEqual(["/opt/app", "/opt/app/lib", "/opt/app/lib/a"]);
    expect(p.copies).toEqual([
      { from: "current", to: "/opt/app/current", kind: "symlink", replace: false },
      { from: "lib/a/b.js", to: "/opt/app/lib/a/b.js", kind: "file", replace: false },
    ]);
  });

  it("keeps the copies into one directory together, so one cp serves them", () => {
    const p = plan({ spec: spec([{ source: "/", destination: "/opt" }]), entries: entries("a/1", "a/b/2", "a/c", "a/d/"), existing: { "/opt": "directory" } });
    expect(p.mkdirs).toEqual(["/opt/a", "/opt/a/b", "/opt/a/d"]);
    expect(p.copies.map((c) => c.to)).toEqual(["/opt/a/1", "/opt/a/c", "/opt/a/b/2"]);
  });

  it("lists every path to probe: destinations and each directory on the way, outermost first", () => {
    expect(installCandidates(spec([{ source: "build", destination: "/srv/www" }]), WEB)).toEqual([
      "/srv",
      "/srv/www",
      "/srv/www/css",
      "/srv/www/css/site.css",
      "/srv/www/index.html",
    ]);
  });

  it("rejects a source the revision does not contain", () => {
    const err = planError({ spec: spec([{ source: "dist", destination: "/opt/app" }]), entries: WEB });
    expect(err.code).toBe("SourceMissing");
    expect(err.message).toMatch(/source dist of a files mapping does not exist in the revision/);
  });

  it("rejects two sources for one destination before anything is copied", () => {
    const files = [
      { source: "a/x.txt", destination: "/opt/app" },
      { source: "b/x.txt", destination: "/opt/app" },
    ];
    const err = planError({ spec: spec(files), entries: entries("a/x.txt", "b/x.txt") });
    expect(err.code).toBe("DuplicateDestination");
    expect(err.message).toBe(
      "The deployment failed because the application specification file specifies two source files named b/x.txt and a/x.txt for the same destination (/opt/app/x.txt). Remove one of the source file paths from the AppSpec file, and then try again.",
    );
  });

  it("rejects a file and a directory planned at one path, but lets two directory sources share one", () => {
    const clash = [
      { source: "conf", destination: "/opt/app" },
      { source: "other", destination: "/opt/app" },
    ];
    expect(planError({ spec: spec(clash), entries: entries("conf", "other/conf/x") }).code).toBe("DuplicateDestination");
    const merge = [
      { source: "a", destination: "/opt/app" },
      { source: "b", destination: "/opt/app" },
    ];
    const p = plan({ spec: spec(merge), entries: entries("a/1", "b/2"), existing: { "/opt": "directory" } });
    expect(p.mkdirs).toEqual(["/opt/app"]);
    expect(p.copies.map((c) => c.to)).toEqual(["/opt/app/1", "/opt/app/2"]);
  });

  it('rejects paths that climb out with ".."', () => {
    expect(planError({ spec: spec([{ source: "../etc", destination: "/opt" }]), entries: WEB }).code).toBe("InvalidPath");
    expect(planError({ spec: spec([{ source: "/", destination: "/opt/../../x" }]), entries: WEB }).code).toBe("InvalidPath");
    expect(planError({ spec: spec([{ source: "/", destination: "/opt" }]), entries: entries("../x") }).code).toBe("InvalidPath");
    expect(planError({ spec: spec([{ source: "/", destination: "/opt" }]), entries: entries("a\nb") }).code).toBe("InvalidPath");
  });
});

describe("planInstall: what is on the host already", () => {
  const files = [{ source: "build", destination: "/srv/www" }];
  const base = { spec: spec(files), entries: WEB };
  const existing = { "/srv": "directory", "/srv/www": "directory", "/srv/www/index.html": "file" } as const;

  it("DISALLOW: fails on a file the previous deployment did not install", () => {
    const err = planError({ ...base, existing });
    expect(err.code).toBe("FileExists");
    expect(err.message).toBe("The deployment failed because a specified file already exists at this location: /srv/www/index.html");
  });

  it("OVERWRITE: replaces the file and records it for cleanup", () => {
    const p = plan({ ...base, existing, fileExistsBehavior: "OVERWRITE" });
    expect(p.copies).toContainEqual({ from: "build/index.html", to: "/srv/www/index.html", kind: "file", replace: true });
    expect(p.cleanup).toEqual(["/srv/www/css", "/srv/www/css/site.css", "/srv/www/index.html"]);
  });

  it("RETAIN: leaves the file, unrecorded", () => {
    const p = plan({ ...base, existing, fileExistsBehavior: "RETAIN" });
    expect(p.retained).toEqual(["/srv/www/index.html"]);
    expect(p.copies.map((c) => c.to)).toEqual(["/srv/www/css/site.css"]);
    expect(p.cleanup).toEqual(["/srv/www/css", "/srv/www/css/site.css"]);
  });

  it("the appspec's file_exists_behavior beats the deployment's option", () => {
    const p = plan({ ...base, spec: spec(files, { fileExistsBehavior: "RETAIN" }), existing, fileExistsBehavior: "DISALLOW" });
    expect(p.retained).toEqual(["/srv/www/index.html"]);
  });

  it("an existing symlink at a file destination is a file in the way", () => {
    expect(planError({ ...base, existing: { ...existing, "/srv/www/index.html": "symlink" } }).code).toBe("FileExists");
  });

  it("paths from the previous cleanup list never conflict, and owned directories stay owned", () => {
    const previousCleanup = ["/srv/www/css", "/srv/www/index.html", "/srv/www/css/old.css"];
    const p = plan({ ...base, existing: { ...existing, "/srv/www/css": "directory" }, previousCleanup });
    // The owned directory is still needed: neither removed nor made again, and still owned.
    expect(p.removals).toEqual(["/srv/www/css/old.css", "/srv/www/index.html"]);
    expect(p.mkdirs).toEqual([]);
    expect(p.keptDirectories).toEqual(["/srv/www/css"]);
    expect(p.copies.every((c) => !c.replace)).toBe(true);
    expect(p.cleanup).toEqual(["/srv/www/css", "/srv/www/css/site.css", "/srv/www/index.html"]);
  });

  it("existing directories never conflict and are not recorded", () => {
    const p = plan({ ...base, existing: { "/srv": "directory", "/srv/www": "directory", "/srv/www/css": "directory" } });
    expect(p.mkdirs).toEqual([]);
    expect(p.cleanup).toEqual(["/srv/www/css/site.css", "/srv/www/index.html"]);
  });

  it("a file where a directory goes, or a directory where a file goes, is an error in any mode", () => {
    for (const fileExistsBehavior of ["DISALLOW", "OVERWRITE", "RETAIN"] as const) {
      const dirOnFile = planError({ ...base, fileExistsBehavior, existing: { "/srv": "directory", "/srv/www": "file" } });
      expect(dirOnFile.code).toBe("TypeConflict");
      expect(dirOnFile.message).toMatch(/installs a directory at \/srv\/www, but a file already exists/);
      const fileOnDir = planError({ ...base, fileExistsBehavior, existing: { ...existing, "/srv/www/index.html": "directory" } });
      expect(fileOnDir.message).toMatch(/installs the file build\/index.html at \/srv\/www\/index.html, but a directory already exists/);
    }
  });
});

describe("planInstall: permissions", () => {
  const REV = entries("bin/run.sh", "bin/lib/helper.sh", "bin/README", "bin/skip.sh", "bin/link.sh@", "conf/app.conf");
  const perms = (permissions: Partial<PermissionSpec>[], existing: PlanInstallInput["existing"] = { "/opt": "directory" }) =>
    plan({
      spec: spec([{ source: "/", destination: "/opt/app" }], {
        permissions: permissions.map((p) => ({ object: "/opt/app", pattern: "**", except: [], ...p })),
      }),
      entries: REV,
      existing,
    }).permissions;

  it("** matches installed files and directories at any depth below the object", () => {
    expect(perms([{ owner: "app" }]).map((c) => c.path)).toEqual([
      "/opt/app/bin/README",
      "/opt/app/bin/run.sh",
      "/opt/app/bin/skip.sh",
      "/opt/app/bin/lib/helper.sh",
      "/opt/app/conf/app.conf",
      "/opt/app/bin",
      "/opt/app/bin/lib",
      "/opt/app/conf",
    ]);
  });

  it("another pattern matches direct children only; except and type filter", () => {
    const changes = perms([{ object: "/opt/app/bin/", pattern: "*.sh", except: ["skip*"], type: ["file"], mode: "0750", owner: "app", group: "web" }]);
    expect(changes).toEqual([{ path: "/opt/app/bin/run.sh", mode: "0750", owner: "app", group: "web" }]);
    expect(perms([{ type: ["directory"], mode: "755" }]).map((c) => c.path)).toEqual(["/opt/app/bin", "/opt/app/bin/lib", "/opt/app/conf"]);
  });

  it("touches only what this deployment installed", () => {
    const existing = { "/opt": "directory", "/opt/app": "directory", "/opt/app/conf": "directory" } as const;
    expect(perms([{ type: ["directory"], mode: "755" }], existing).map((c) => c.path)).toEqual(["/opt/app/bin", "/opt/app/bin/lib"]);
  });

  it("an installed file as object gets the permission itself, and a pattern on it is an error", () => {
    expect(perms([{ object: "/opt/app/conf/app.conf", mode: "600" }])).toEqual([{ path: "/opt/app/conf/app.conf", mode: "600" }]);
    expect(() => perms([{ object: "/opt/app/conf/app.conf", pattern: "*.conf", mode: "600" }])).toThrow(/invalid pattern \(\*\.conf\)/);
  });

  it("setting one path twice is an error", () => {
    expect(() => perms([{ mode: "644" }, { object: "/opt/app/conf", mode: "600" }])).toThrow(
      "The deployment failed because the permissions setting for (/opt/app/conf/app.conf) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.",
    );
  });
});

describe("planInstall: files already in place", () => {
  const mapping = spec([{ source: "build", destination: "/srv/www" }], {
    permissions: [{ object: "/srv/www", pattern: "**", except: [], type: ["file"], mode: "640" } satisfies PermissionSpec],
  });
  const previousCleanup = ["/srv/www", "/srv/www/css", "/srv/www/index.html", "/srv/www/css/site.css", "/srv/www/old.html"];
  const existing = { "/srv": "directory", "/srv/www": "directory", "/srv/www/css": "directory", "/srv/www/index.html": "file", "/srv/www/css/site.css": "file", "/srv/www/old.html": "file" } as const;

  it("neither removes nor copies an unchanged file of the previous deployment, yet lists it and applies permissions", () => {
    const p = plan({ spec: mapping, entries: WEB, previousCleanup, existing, unchanged: new Set(["/srv/www/index.html"]) });
    expect(p.unchanged).toEqual(["/srv/www/index.html"]);
    expect(p.removals).not.toContain("/srv/www/index.html");
    expect(p.removals).toContain("/srv/www/old.html");
    expect(p.copies.map((c) => c.to)).toEqual(["/srv/www/css/site.css"]);
    expect(p.cleanup).toContain("/srv/www/index.html");
    expect(p.permissions.filter((x) => x.mode === "640").map((x) => x.path).sort()).toEqual(["/srv/www/css/site.css", "/srv/www/index.html"]);
  });

  it("keeps an identical file it did not install only where OVERWRITE would have replaced it", () => {
    const foreign = { "/srv": "directory", "/srv/www": "directory", "/srv/www/index.html": "file" } as const;
    const unchanged = new Set(["/srv/www/index.html"]);
    expect(plan({ spec: mapping, entries: WEB, existing: foreign, unchanged, fileExistsBehavior: "OVERWRITE" }).unchanged).toEqual(["/srv/www/index.html"]);
    expect(plan({ spec: mapping, entries: WEB, existing: foreign, unchanged, fileExistsBehavior: "RETAIN" }).retained).toEqual(["/srv/www/index.html"]);
    expect(planError({ spec: mapping, entries: WEB, existing: foreign, unchanged }).code).toBe("FileExists");
  });

  it("without an answer about identical files, removes and copies everything as before", () => {
    const p = plan({ spec: mapping, entries: WEB, previousCleanup, existing });
    expect(p.unchanged).toEqual([]);
    expect(p.removals).toContain("/srv/www/index.html");
    expect(p.copies.map((c) => c.to).sort()).toEqual(["/srv/www/css/site.css", "/srv/www/index.html"]);
  });
});
