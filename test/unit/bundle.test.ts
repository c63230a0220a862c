import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BundleError, detectBundleType, openBundle, sha256File, type Bundle } from "@/server/revisions/bundle";

// Archives are built with the system zip/tar for the ordinary cases, and with python's zipfile and
// tarfile for the malicious ones: those write any name, link or mode they are given.
type Spec = { name: string; type?: "file" | "dir" | "symlink" | "hardlink" | "fifo"; data?: string; mode?: number; link?: string };

const PY_ZIP = `
import json, sys, zipfile, stat
out, specs = sys.argv[1], json.load(sys.stdin)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for s in specs:
        t = s.get("type", "file")
        info = zipfile.ZipInfo(s["name"])
        kind = {"file": stat.S_IFREG, "dir": stat.S_IFDIR, "symlink": stat.S_IFLNK}[t]
        info.external_attr = (kind | s.get("mode", 0o644)) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, s.get("link", "") if t == "symlink" else s.get("data", ""))
`;
const PY_TAR = `
import io, json, sys, tarfile
out, gz, specs = sys.argv[1], sys.argv[2] == "1", json.load(sys.stdin)
kinds = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE}
with tarfile.open(out, "w:gz" if gz else "w", format=tarfile.GNU_FORMAT) as t:
    for s in specs:
        info = tarfile.TarInfo(s["name"])
        info.type = kinds[s.get("type", "file")]
        info.mode = s.get("mode", 0o644)
        info.linkname = s.get("link", "")
        data = s.get("data", "").encode()
        info.size = len(data) if info.type == tarfile.REGTYPE else 0
        t.addfile(info, io.BytesIO(data) if info.size else None)
`;

let tmp: string;
let counter = 0;
const next = (ext: string) => path.join(tmp, `archive-${++counter}.${ext}`);

function pyZip(specs: Spec[]): string {
  const file = next("zip");
  execFileSync("python3", ["-c", PY_ZIP, file], { input: JSON.stringify(specs) });
  return file;
}

function pyTar(specs: Spec[], gzip = false): string {
  const file = next(gzip ? "tgz" : "tar");
  execFileSync("python3", ["-c", PY_TAR, file, gzip ? "1" : "0"], { input: JSON.stringify(specs) });
  return file;
}

/** A revision folder as an operator would have it: scripts executable, a nested config file. */
async function makeRevision(dir: string): Promise<void> {
  await fs.mkdir(path.join(dir, "scripts"), { recursive: true });
  await fs.mkdir(path.join(dir, "config/nested"), { recursive: true });
  await fs.writeFile(path.join(dir, "appspec.yml"), "version: 0.0\nos: linux\n");
  await fs.writeFile(path.join(dir, "scripts/start.sh"), "#!/bin/sh\necho start\n", { mode: 0o755 });
  await fs.writeFile(path.join(dir, "config/nested/app.conf"), "port=8080\n", { mode: 0o600 });
  await fs.symlink("config/nested/app.conf", path.join(dir, "current.conf"));
}

async function extractTar(bundle: Bundle): Promise<string> {
  const out = await fs.mkdtemp(path.join(tmp, "out-"));
  const tarFile = path.join(out, "..", `${path.basename(out)}.tar`);
  await pipeline(bundle.toTar(), createWriteStream(tarFile));
  execFileSync("tar", ["-xpf", tarFile, "-C", out]);
  return out;
}

async function expectRefused(promise: Promise<unknown>, code: string, text: string): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BundleError);
  expect((error as BundleError).code).toBe(code);
  expect((error as BundleError).message).toContain(text);
}

const paths = (bundle: Bundle) => bundle.entries.map((e) => e.path).sort();

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "slipway-bundle-"));
  await makeRevision(path.join(tmp, "rev"));
  execFileSync("zip", ["-qry", path.join(tmp, "rev.zip"), "."], { cwd: path.join(tmp, "rev") });
  execFileSync("tar", ["-cf", path.join(tmp, "rev.tar"), "-C", path.join(tmp, "rev"), "."]);
  execFileSync("tar", ["-czf", path.join(tmp, "rev.tgz"), "-C", path.join(tmp, "rev"), "."]);
});

afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("opening each bundle type", () => {
  const expected = ["appspec.yml", "config", "config/nested", "config/nested/app.conf", "current.conf", "scripts", "scripts/start.sh"];

  it.each(["zip", "tar", "tgz"] as const)("lists a %s bundle relative to its root", async (type) => {
    const file = path.join(tmp, `rev.${type}`);
    expect(await detectBundleType(file)).toBe(type);
    const bundle = await openBundle(file, type);
    expect(bundle.type).toBe(type);
    expect(bundle.root).toBe("");
    expect(paths(bundle)).toEqual(expected);
    expect(bundle.appspecPath).toBe("appspec.yml");
    expect((await bundle.readFile("appspec.yml")).toString()).toBe("version: 0.0\nos: linux\n");
    const byPath = new Map(bundle.entries.map((e) => [e.path, e]));
    expect(byPath.get("scripts/start.sh")).toMatchObject({ type: "file", mode: 0o755, size: 21 });
    expect(byPath.get("config/nested/app.conf")?.mode).toBe(0o600);
    expect(byPath.get("current.conf")).toMatchObject({ type: "symlink", linkTarget: "config/nested/app.conf" });
    expect(byPath.get("config")?.type).toBe("directory");
  });

  it("adds the directories a zip only implies by its file names", async () => {
    const bundle = await openBundle(pyZip([{ name: "appspec.yml" }, { name: "a/b/c.txt", data: "x" }]), "zip");
    expect(paths(bundle)).toEqual(["a", "a/b", "a/b/c.txt", "appspec.yml"]);
    expect(bundle.entries.find((e) => e.path === "a")).toMatchObject({ type: "directory", mode: 0o755 });
  });

  it("prefers appspec.yml over appspec.yaml, and finds appspec.yaml alone", async () => {
    const both = await openBundle(pyZip([{ name: "appspec.yaml" }, { name: "appspec.yml" }]), "zip");
    expect(both.appspecPath).toBe("appspec.yml");
    const yaml = await openBundle(pyTar([{ name: "appspec.yaml", data: "version: 0.0" }]), "tar");
    expect(yaml.appspecPath).toBe("appspec.yaml");
    expect((await yaml.readFile("appspec.yaml")).toString()).toBe("version: 0.0");
    const none = await openBundle(pyTar([{ name: "README" }]), "tar");
    expect(none.appspecPath).toBeNull();
  });

  it("keeps the last of two entries with the same name, as tar -x would", async () => {
    const bundle = await openBundle(pyTar([{ name: "a.txt", data: "old" }, { name: "a.txt", data: "new" }]), "tar");
    expect(paths(bundle)).toEqual(["a.txt"]);
    expect((await bundle.readFile("a.txt")).toString()).toBe("new");
    const out = await extractTar(bundle);
    expect(await fs.readFile(path.join(out, "a.txt"), "utf8")).toBe("new");
  });
});

describe("a single top-level directory", () => {
  it("is the revision root when it holds the appspec", async () => {
    const bundle = await openBundle(
      pyZip([{ name: "myapp/appspec.yml", data: "version: 0.0" }, { name: "myapp/scripts/run.sh", mode: 0o755 }]),
      "zip",
    );
    expect(bundle.root).toBe("myapp");
    expect(paths(bundle)).toEqual(["appspec.yml", "scripts", "scripts/run.sh"]);
    expect((await bundle.readFile("appspec.yml")).toString()).toBe("version: 0.0");
    const listed = execFileSync("tar", ["-tf", "-"], { input: await streamToBuffer(bundle.toTar()) }).toString();
    expect(listed.trim().split("\n").sort()).toEqual(["appspec.yml", "scripts/", "scripts/run.sh"]);
  });

  it("is not the root when the archive root has an appspec or a second top-level entry", async () => {
    const rooted = await openBundle(pyTar([{ name: "appspec.yml" }, { name: "app/appspec.yml" }]), "tar");
    expect(rooted.root).toBe("");
    const two = await openBundle(pyTar([{ name: "app/appspec.yml" }, { name: "other.txt" }]), "tar");
    expect(two.root).toBe("");
    expect(two.appspecPath).toBeNull();
  });

  it("works for a tgz made with tar -C parent dir", async () => {
    const file = next("tgz");
    execFileSync("tar", ["-czf", file, "-C", tmp, "rev"]);
    const bundle = await openBundle(file, "tgz");
    expect(bundle.root).toBe("rev");
    expect(bundle.appspecPath).toBe("appspec.yml");
  });
});

describe("declared type against content", () => {
  it("refuses a zip declared as tgz, naming both", async () => {
    await expectRefused(
      openBundle(path.join(tmp, "rev.zip"), "tgz", "s3://b/k"),
      "BundleTypeMismatch",
      'The bundle type "tgz" (.tar.gz) declared for this revision does not match the object at s3://b/k, which is a zip archive.',
    );
  });

  it("refuses a tgz declared as zip, and a tgz declared as tar", async () => {
    await expectRefused(openBundle(path.join(tmp, "rev.tgz"), "zip"), "BundleTypeMismatch", '"zip" (.zip)');
    await expectRefused(openBundle(path.join(tmp, "rev.tgz"), "zip"), "BundleTypeMismatch", "gzip-compressed");
    await expectRefused(openBundle(path.join(tmp, "rev.tgz"), "tar"), "BundleTypeMismatch", '"tar" (.tar)');
  });

  it("describes content that is no archive, or empty", async () => {
    const text = next("txt");
    await fs.writeFile(text, "hello, this is not an archive".repeat(40));
    expect(await detectBundleType(text)).toBe("unknown");
    await expectRefused(openBundle(text, "zip"), "BundleTypeMismatch", "not a zip, tar or tar.gz archive");
    const empty = next("zip");
    await fs.writeFile(empty, "");
    await expectRefused(openBundle(empty, "zip"), "BundleTypeMismatch", "which is empty");
  });

  it("reports a corrupt archive as InvalidArchive", async () => {
    const bad = next("tgz");
    const gz = await fs.readFile(path.join(tmp, "rev.tgz"));
    await fs.writeFile(bad, gz.subarray(0, gz.length / 2));
    await expectRefused(openBundle(bad, "tgz", "s3://b/k"), "InvalidArchive", "The bundle at s3://b/k is not a valid .tar.gz archive");
  });
});

describe("entries that would escape the deployment archive", () => {
  const escapes: Spec[] = [
    { name: "../x" },
    { name: "/etc/x" },
    { name: "a/../../x" },
    { name: "evil", type: "symlink", link: "/etc" },
    { name: "evil", type: "symlink", link: "../../etc" },
  ];

  it.each(escapes)("refuses $name in a zip and a tar", async (spec) => {
    const specs = [{ name: "appspec.yml" }, spec];
    for (const open of [() => openBundle(pyZip(specs), "zip"), () => openBundle(pyTar(specs), "tar")]) {
      await expectRefused(open(), "UnsafeEntry", `Archive entry "${spec.name}"`);
      await expectRefused(open(), "UnsafeEntry", "the bundle is refused.");
    }
  });

  it("names the entry in the message", async () => {
    await expectRefused(
      openBundle(pyZip([{ name: "../../etc/passwd" }]), "zip"),
      "UnsafeEntry",
      'Archive entry "../../etc/passwd" would be written outside the deployment archive; the bundle is refused.',
    );
  });

  it("follows links through other links, as the host's kernel would", async () => {
    const chain: Spec[] = [
      { name: "d/up", type: "symlink", link: ".." },
      { name: "x", type: "symlink", link: "d/up/.." },
    ];
    await expectRefused(openBundle(pyTar(chain), "tar"), "UnsafeEntry", 'Archive entry "x" is a symbolic link');
  });

  it("refuses a file written through a symlink, hard links outside, names with newlines, and fifos", async () => {
    const through: Spec[] = [{ name: "d/file" }, { name: "l", type: "symlink", link: "d" }, { name: "l/x" }];
    await expectRefused(openBundle(pyTar(through), "tar"), "UnsafeEntry", 'through the symbolic link "l"');
    const hard: Spec[] = [{ name: "h", type: "hardlink", link: "../etc/shadow" }];
    await expectRefused(openBundle(pyTar(hard), "tar"), "UnsafeEntry", 'Archive entry "h" is a hard link');
    await expectRefused(openBundle(pyZip([{ name: "a\nb" }]), "zip"), "UnsafeEntry", "newline or NUL");
    await expectRefused(openBundle(pyTar([{ name: "p", type: "fifo" }]), "tar"), "UnsafeEntry", 'Archive entry "p" is a fifo');
  });

  it("accepts links that stay inside", async () => {
    const bundle = await openBundle(
      pyTar([
        { name: "a/b/file", data: "content" },
        { name: "a/up", type: "symlink", link: "../a/b/file" },
        { name: "same", type: "hardlink", link: "a/b/file" },
      ]),
      "tar",
    );
    expect(bundle.entries.find((e) => e.path === "same")).toMatchObject({ type: "file", linkTarget: "a/b/file", size: 7 });
    expect((await bundle.readFile("same")).toString()).toBe("content");
    const out = await extractTar(bundle);
    expect(await fs.readFile(path.join(out, "same"), "utf8")).toBe("content");
    expect(await fs.readlink(path.join(out, "a/up"))).toBe("../a/b/file");
  });
});

describe("toTar", () => {
  it.each(["zip", "tar", "tgz"] as const)("round-trips a %s bundle through tar -x with contents and modes", async (type) => {
    const bundle = await openBundle(path.join(tmp, `rev.${type}`), type);
    const out = await extractTar(bundle);
    const source = path.join(tmp, "rev");
    for (const entry of bundle.entries) {
      const [want, got] = await Promise.all([fs.lstat(path.join(source, entry.path)), fs.lstat(path.join(out, entry.path))]);
      expect(got.mode & 0o777, entry.path).toBe(want.mode & 0o777);
      if (entry.type === "file") {
        expect(await fs.readFile(path.join(out, entry.path), "utf8")).toBe(await fs.readFile(path.join(source, entry.path), "utf8"));
      }
      if (entry.type === "symlink") expect(got.isSymbolicLink()).toBe(true);
    }
    expect((await fs.readdir(out, { recursive: true })).length).toBe(bundle.entries.length);
  });

  it("keeps names longer than ustar's 100 bytes and link targets via pax records", async () => {
    const long = `${"deep/".repeat(30)}${"n".repeat(120)}.txt`;
    const bundle = await openBundle(pyTar([{ name: long, data: "far" }, { name: "l", type: "symlink", link: long }]), "tar");
    const out = await extractTar(bundle);
    expect(await fs.readFile(path.join(out, long), "utf8")).toBe("far");
    expect(await fs.readlink(path.join(out, "l"))).toBe(long);
  });

  it("converts a 1 MB zip quickly", async () => {
    const specs: Spec[] = [{ name: "appspec.yml" }];
    for (let i = 0; i < 100; i++) specs.push({ name: `dir${i % 10}/file${i}.txt`, data: `${i}`.padEnd(10_000, "x") });
    const bundle = await openBundle(pyZip(specs), "zip");
    await streamToBuffer(bundle.toTar()); // warm up
    const started = performance.now();
    const tar = await streamToBuffer(bundle.toTar());
    const elapsed = performance.now() - started;
    expect(tar.length).toBeGreaterThan(1_000_000);
    expect(elapsed).toBeLessThan(250);
  });
});

it("sha256File hashes a file", async () => {
  const file = next("txt");
  await fs.writeFile(file, "abc");
  expect(await sha256File(file)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
