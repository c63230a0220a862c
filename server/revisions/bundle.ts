import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Entry } from "yauzl";
import {
  BundleError,
  createModelBuilder,
  normaliseEntryName,
  readAll,
  type BundleEntry,
  type BundleModel,
  type Node,
  type RawEntry,
} from "./bundle-model";
import { tarEntries, tarHeaderOf, unsupportedEntry } from "./bundle-tar";
import { forEachZipEntry, openZip, readZipEntry, withZip, zipEntryBody } from "./bundle-zip";
import { TAR_END, tarEntryChunks, tarReadable } from "./tar-writer";
import { BUNDLE_TYPE_LABELS, isBundleType, type BundleType } from "./s3-location";

/**
 * Reading a revision bundle on the server, before anything touches a host: the declared type is
 * checked against the bytes, every entry name against zip-slip, and the revision is re-emitted as
 * one normalised tar of the revision root.
 */

export { BundleError } from "./bundle-model";
export type { BundleEntry, BundleErrorCode } from "./bundle-model";

export type DetectedBundleType = BundleType | "unknown";

export type Bundle = {
  type: BundleType;
  file: string;
  /** "" or the single top-level directory that holds the appspec. */
  root: string;
  entries: BundleEntry[];
  /** "appspec.yml" preferred over "appspec.yaml"; relative to the revision root. */
  appspecPath: string | null;
  readFile(path: string): Promise<Buffer>;
  /** An uncompressed tar of the revision root only, streamed from the bundle file. */
  toTar(): Readable;
};

const TAR_BLOCK = 512;
// appspec files are read during the scan so readFile(appspecPath) never re-reads the bundle.
const APPSPEC_CACHE_PATTERN = /^([^/]+\/)?appspec\.ya?ml$/;
const APPSPEC_CACHE_LIMIT = 1024 * 1024;

function isCachedAppspec(raw: RawEntry): boolean {
  return raw.type === "file" && raw.size <= APPSPEC_CACHE_LIMIT && APPSPEC_CACHE_PATTERN.test(normaliseEntryName(raw.name));
}

export async function detectBundleType(file: string): Promise<DetectedBundleType> {
  return kindOf(await readHead(file));
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.open(file, "r");
  try {
    const buffer = Buffer.alloc(TAR_BLOCK);
    const { bytesRead } = await handle.read(buffer, 0, TAR_BLOCK, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function kindOf(head: Buffer): DetectedBundleType {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) {
    // PK\x03\x04: a local file header; PK\x05\x06: the end record of an empty zip.
    if ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6)) return "zip";
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "tgz";
  if (head.length === TAR_BLOCK) {
    if (head.toString("latin1", 257, 262) === "ustar") return "tar";
    // An empty tar is all zero blocks; a pre-POSIX (v7) one has no magic, only a checksum.
    if (head.every((byte) => byte === 0) || hasValidTarChecksum(head)) return "tar";
  }
  return "unknown";
}

function hasValidTarChecksum(block: Buffer): boolean {
  const stored = parseInt(block.toString("latin1", 148, 156).replace(/[\0 ]+/g, " ").trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return sum === stored;
}

function describe(kind: DetectedBundleType, empty: boolean): string {
  if (empty) return "empty";
  switch (kind) {
    case "zip":
      return "a zip archive";
    case "tar":
      return "an uncompressed tar archive";
    case "tgz":
      return "a gzip-compressed file (tar.gz)";
    case "unknown":
      return "not a zip, tar or tar.gz archive";
  }
}

export async function openBundle(file: string, declared: BundleType, location?: string): Promise<Bundle> {
  if (!isBundleType(declared)) {
    throw new BundleError("InvalidBundleType", `bundleType must be one of zip, tar, tgz (got "${String(declared)}")`);
  }
  const head = await readHead(file);
  const actual = kindOf(head);
  if (actual !== declared) {
    const where = location ? `the object at ${location}` : "the bundle";
    throw new BundleError(
      "BundleTypeMismatch",
      `The bundle type "${declared}" (${BUNDLE_TYPE_LABELS[declared]}) declared for this revision does not match ${where}, which is ${describe(actual, head.length === 0)}.`,
    );
  }
  try {
    return declared === "zip" ? await openZipBundle(file) : await openTarBundle(file, declared);
  } catch (error) {
    if (error instanceof BundleError) throw error;
    const where = location ? ` at ${location}` : "";
    const reason = error instanceof Error ? error.message : String(error);
    throw new BundleError(
      "InvalidArchive",
      `The bundle${where} is not a valid ${BUNDLE_TYPE_LABELS[declared]} archive: ${reason}`,
    );
  }
}

function fileNode(model: BundleModel, path: string): Node {
  const normal = normaliseEntryName(path);
  let node = model.nodes.get(normal);
  if (node?.hardLink && node.entry.linkTarget !== undefined) node = model.nodes.get(node.entry.linkTarget);
  if (!node) throw new BundleError("EntryNotFound", `The revision has no file "${path}".`);
  if (node.entry.type !== "file") {
    throw new BundleError("EntryNotFound", `"${path}" in the revision is a ${node.entry.type}, not a file.`);
  }
  return node;
}

/** Yields every ancestor directory of `path` not yet written, outermost first. */
function* pendingParents(model: BundleModel, path: string, emitted: Set<string>): Generator<Node> {
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join("/");
    const node = model.nodes.get(dir);
    if (node && !emitted.has(dir)) {
      emitted.add(dir);
      yield node;
    }
  }
}

async function openZipBundle(file: string): Promise<Bundle> {
  const builder = createModelBuilder();
  const sources: Entry[] = [];
  const cached = new Map<number, Buffer>();
  await forEachZipEntry(file, async (raw, entry, index, open) => {
    builder.add(raw, index);
    sources[index] = entry;
    if (isCachedAppspec(raw)) cached.set(index, await readZipEntry(open, entry));
  });
  const model = builder.finish();
  return {
    type: "zip",
    file,
    root: model.root,
    entries: model.entries,
    appspecPath: model.appspecPath,
    // yauzl reads entries by offset, so a fresh handle per call reuses the scanned entries and
    // the Bundle needs no close().
    readFile: async (path) => {
      const { source } = fileNode(model, path);
      return cached.get(source) ?? withZip(file, (zip) => readZipEntry(zip, sources[source]));
    },
    toTar: () => tarReadable(zipTarChunks(file, model, sources)),
  };
}

async function* zipTarChunks(file: string, model: BundleModel, sources: Entry[]): AsyncGenerator<Buffer> {
  const open = await openZip(file);
  try {
    // Map order already puts each directory before its children.
    for (const node of model.nodes.values()) {
      const body = node.entry.type === "file" ? await zipEntryBody(open, sources[node.source]) : undefined;
      yield* tarEntryChunks(tarHeaderOf(node), body);
    }
    yield TAR_END;
  } finally {
    open.zip.close();
  }
}

async function openTarBundle(file: string, type: "tar" | "tgz"): Promise<Bundle> {
  const gzip = type === "tgz";
  const builder = createModelBuilder();
  const cached = new Map<number, Buffer>();
  for await (const { raw, body, index, header } of tarEntries(file, gzip)) {
    if (!raw) throw unsupportedEntry(header);
    builder.add(raw, index);
    if (isCachedAppspec(raw)) cached.set(index, await readAll(body));
  }
  const model = builder.finish();
  // Keep only what survived de-duplication (a later entry of the same name wins).
  const chosen = new Map<number, string>();
  for (const [path, node] of model.nodes) if (node.source >= 0) chosen.set(node.source, path);

  async function readFile(path: string): Promise<Buffer> {
    const { source } = fileNode(model, path);
    const hit = cached.get(source);
    if (hit) return hit;
    for await (const { body, index } of tarEntries(file, gzip)) {
      if (index === source) return readAll(body);
    }
    throw new BundleError("InvalidArchive", `The bundle changed while it was read: "${path}" is gone.`);
  }

  async function* tarChunks(): AsyncGenerator<Buffer> {
    const emitted = new Set<string>();
    // Follows the source order, so the bundle is decompressed once and never held in memory;
    // a directory is written at its first use, with the mode the archive gives it.
    for await (const { body, index } of tarEntries(file, gzip)) {
      const path = chosen.get(index);
      if (path === undefined) continue;
      for (const parent of pendingParents(model, path, emitted)) yield* tarEntryChunks(tarHeaderOf(parent));
      if (emitted.has(path)) continue;
      emitted.add(path);
      yield* tarEntryChunks(tarHeaderOf(model.nodes.get(path) as Node), body);
    }
    yield TAR_END;
  }

  return { type, file, root: model.root, entries: model.entries, appspecPath: model.appspecPath, readFile, toTar: () => tarReadable(tarChunks()) };
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}
