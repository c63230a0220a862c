import { APPSPEC_FILENAMES } from "../appspec/parse";
import { normalizeRelative } from "../appspec/paths";

/**
 * The format-independent part of reading a bundle: entry names are normalised and checked for
 * zip-slip as they are read, implied directories are added, and once the whole archive has been
 * seen the revision root is chosen and every symbolic link is resolved inside it.
 */

export type BundleErrorCode =
  | "BundleTypeMismatch"
  | "InvalidArchive"
  | "UnsafeEntry"
  | "EntryNotFound"
  | "InvalidBundleType";

export class BundleError extends Error {
  constructor(
    readonly code: BundleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BundleError";
  }
}

export type BundleEntry = {
  /** Relative to the revision root, posix, no leading "./", directories without trailing "/". */
  path: string;
  type: "file" | "directory" | "symlink";
  mode: number;
  size: number;
  /** A symlink's target as stored; for a hard link (type "file"), the linked path. */
  linkTarget?: string;
};

/** One entry as an archive format reader reports it. */
export type RawEntry = {
  name: string;
  type: "file" | "directory" | "symlink" | "hardlink";
  mode: number;
  size: number;
  mtime: Date;
  linkTarget?: string;
};

/** A kept entry plus where it came from, so toTar and readFile can find its bytes again. */
export type Node = { entry: BundleEntry; source: number; mtime: Date; hardLink: boolean };

export type BundleModel = {
  root: string;
  entries: BundleEntry[];
  /** Revision-root-relative path -> node, in output order (parents before children). */
  nodes: Map<string, Node>;
  appspecPath: string | null;
};

const DEFAULT_DIR_MODE = 0o755;
const MAX_SYMLINK_HOPS = 40; // Linux's own limit (MAXSYMLINKS)

function unsafe(name: string, why: string): BundleError {
  return new BundleError("UnsafeEntry", `Archive entry "${name}" ${why}; the bundle is refused.`);
}

/** A name relative to the archive root, normalised ("" for the root); undefined when it is absolute or climbs out. */
function insideArchive(name: string): string | undefined {
  return name.startsWith("/") || /^[A-Za-z]:/.test(name) ? undefined : normalizeRelative(name);
}

/** Normalises an archive name to a posix path relative to the archive root ("" for the root). */
export function normaliseEntryName(name: string): string {
  if (/[\0\n\r]/.test(name)) throw unsafe(name, "has a name containing a newline or NUL byte");
  const normal = insideArchive(name);
  if (normal === undefined) throw unsafe(name, "would be written outside the deployment archive");
  return normal;
}

/** An entry's bytes in one Buffer; the readers' streams type their chunks as unknown, they are Buffers. */
export async function readAll(body: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function createModelBuilder() {
  // Archive-root-relative path -> node. Insertion order puts every parent before its children.
  const nodes = new Map<string, Node>();

  function ensureParents(rel: string, name: string, mtime: Date) {
    const parts = rel.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      const existing = nodes.get(dir);
      if (!existing) {
        nodes.set(dir, { entry: dirEntry(dir, DEFAULT_DIR_MODE), source: -1, mtime, hardLink: false });
      } else if (existing.entry.type === "symlink") {
        throw unsafe(name, `would be written through the symbolic link "${dir}"`);
      } else if (existing.entry.type !== "directory") {
        throw new BundleError("InvalidArchive", `Archive entry "${name}" is inside "${dir}", which is a file.`);
      }
    }
  }

  function add(raw: RawEntry, source: number): void {
    const rel = normaliseEntryName(raw.name);
    if (rel === "") return; // "./": the archive root itself
    if (raw.linkTarget !== undefined && /[\0\n\r]/.test(raw.linkTarget)) {
      throw unsafe(raw.name, "links to a name containing a newline or NUL byte");
    }
    ensureParents(rel, raw.name, raw.mtime);
    const existing = nodes.get(rel);
    const isDir = raw.type === "directory";
    if (existing && (existing.entry.type === "directory") !== isDir) {
      throw new BundleError("InvalidArchive", `Archive entry "${raw.name}" is both a file and a directory.`);
    }
    const mode = raw.mode & 0o7777;
    let node: Node;
    if (isDir) {
      node = { entry: dirEntry(rel, mode || DEFAULT_DIR_MODE), source, mtime: raw.mtime, hardLink: false };
    } else if (raw.type === "hardlink") {
      node = hardLinkNode(raw, rel, source);
    } else {
      const entry: BundleEntry = { path: rel, type: raw.type, mode, size: raw.type === "file" ? raw.size : 0 };
      if (raw.type === "symlink") entry.linkTarget = raw.linkTarget ?? "";
      node = { entry, source, mtime: raw.mtime, hardLink: false };
    }
    // Map.set keeps the first position of a path; a later duplicate wins, as with `tar -x`.
    nodes.set(rel, node);
  }

  function hardLinkNode(raw: RawEntry, rel: string, source: number): Node {
    const target = raw.linkTarget ?? "";
    const normal = insideArchive(target);
    if (!normal) throw unsafe(raw.name, `is a hard link to "${target}", outside the deployment archive`);
    const linked = nodes.get(normal);
    if (!linked || linked.entry.type !== "file") {
      throw new BundleError(
        "InvalidArchive",
        `Archive entry "${raw.name}" is a hard link to "${target}", which is not a file earlier in the archive.`,
      );
    }
    const entry: BundleEntry = { path: rel, type: "file", mode: raw.mode & 0o7777, size: linked.entry.size, linkTarget: normal };
    return { entry, source, mtime: raw.mtime, hardLink: true };
  }

  return { add, finish: () => finish(nodes) };
}

function dirEntry(rel: string, mode: number): BundleEntry {
  return { path: rel, type: "directory", mode, size: 0 };
}

function isFile(nodes: Map<string, Node>, rel: string): boolean {
  return nodes.get(rel)?.entry.type === "file";
}

/** CodeDeploy: one top-level directory holding the appspec (and none at the root) is the root. */
function chooseRoot(nodes: Map<string, Node>): string {
  if (APPSPEC_FILENAMES.some((name) => isFile(nodes, name))) return "";
  const top = [...nodes.keys()].filter((rel) => !rel.includes("/"));
  if (top.length !== 1 || nodes.get(top[0])?.entry.type !== "directory") return "";
  return APPSPEC_FILENAMES.some((name) => isFile(nodes, `${top[0]}/${name}`)) ? top[0] : "";
}

function finish(archiveNodes: Map<string, Node>): BundleModel {
  const root = chooseRoot(archiveNodes);
  const prefix = root === "" ? "" : `${root}/`;
  const nodes = new Map<string, Node>();
  for (const [rel, node] of archiveNodes) {
    if (!rel.startsWith(prefix) || rel === root) continue;
    const path = rel.slice(prefix.length);
    const entry = { ...node.entry, path };
    if (node.hardLink && entry.linkTarget !== undefined) {
      if (!entry.linkTarget.startsWith(prefix)) {
        throw unsafe(rel, `is a hard link to "${entry.linkTarget}", outside the revision folder "${root}"`);
      }
      entry.linkTarget = entry.linkTarget.slice(prefix.length);
    }
    nodes.set(path, { ...node, entry });
  }
  const links = new Map<string, string>();
  for (const [rel, node] of nodes) {
    if (node.entry.type === "symlink") links.set(rel, node.entry.linkTarget ?? "");
  }
  for (const [rel, target] of links) {
    const verdict = resolveLink(rel, target, links);
    const name = prefix + rel;
    if (verdict === "outside") throw unsafe(name, `is a symbolic link to "${target}", outside the deployment archive`);
    if (verdict === "loop") throw unsafe(name, `is a symbolic link to "${target}", which loops`);
  }
  const appspecPath = APPSPEC_FILENAMES.find((name) => nodes.get(name)?.entry.type === "file") ?? null;
  return { root, entries: [...nodes.values()].map((n) => n.entry), nodes, appspecPath };
}

/**
 * Follows a link the way the kernel will on the host, through the other links of the archive.
 * A lexical check alone is not enough: with "d/up" -> "..", the link "x" -> "d/up/.." looks like
 * "d" but really is the folder above the archive.
 */
function resolveLink(rel: string, target: string, links: Map<string, string>): "inside" | "outside" | "loop" {
  if (target.startsWith("/") || target === "") return "outside";
  const resolved = rel.split("/").slice(0, -1);
  const pending = target.split("/");
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (resolved.length === 0) return "outside";
      resolved.pop();
      continue;
    }
    resolved.push(part);
    const next = links.get(resolved.join("/"));
    if (next === undefined) continue;
    if (++hops > MAX_SYMLINK_HOPS) return "loop";
    if (next.startsWith("/")) return "outside";
    resolved.pop();
    pending.unshift(...next.split("/"));
  }
  return "inside";
}
