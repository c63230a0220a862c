import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import { createGunzip, gunzipSync } from "node:zlib";
import tarStream from "tar-stream";
import type { Header } from "tar-stream";
import { BundleError, type Node, type RawEntry } from "./bundle-model";
import type { TarHeader } from "./tar-writer";

/**
 * Reading tar and tgz bundles with tar-stream (gzip, pax and GNU long names included).
 */

/** An entry's bytes; streamx types its chunks as unknown, they are Buffers. */
export type TarBody = AsyncIterable<unknown>;

const IN_MEMORY_LIMIT = 16 * 1024 * 1024;

export type TarItem = { raw: RawEntry | null; body: TarBody; index: number; header: Header };

/**
 * The entries of a tar (or gzipped tar) file in order. An entry's body left unread when the
 * consumer asks for the next one is drained, so the archive keeps parsing.
 */
export async function* tarEntries(file: string, gzip: boolean): AsyncGenerator<TarItem> {
  // Pre-ustar (v7) archives carry no magic but a valid checksum, which tar-stream still checks.
  // allowUnknownFormat is a real option that tar-stream's own types leave out.
  const extract = tarStream.extract({ allowUnknownFormat: true } as Parameters<typeof tarStream.extract>[0]);
  const inMemory = await readSmallTar(file, gzip);
  const input = inMemory ? null : createReadStream(file);
  if (inMemory) {
    extract.end(inMemory);
  } else if (input) {
    const fail = (error: Error) => extract.destroy(error);
    input.on("error", fail);
    if (gzip) {
      const gunzip = createGunzip();
      gunzip.on("error", fail);
      input.pipe(gunzip).pipe(extract);
    } else {
      input.pipe(extract);
    }
  }
  let index = 0;
  try {
    for await (const entry of extract) {
      yield { raw: toRawEntry(entry.header), body: entry, index: index++, header: entry.header };
      for await (const chunk of entry) void chunk;
    }
  } finally {
    input?.destroy();
  }
}

/**
 * A small bundle is read and gunzipped in one go: streaming it through fs and zlib chunk by chunk
 * costs ~20 ms for 1 MB, in memory ~2 ms. A small file that inflates past the limit (a gzip
 * bomb, or just very compressible) falls back to streaming, which holds one chunk at a time.
 */
async function readSmallTar(file: string, gzip: boolean): Promise<Buffer | null> {
  const { size } = await fs.stat(file);
  if (size > IN_MEMORY_LIMIT) return null;
  const data = await fs.readFile(file);
  if (!gzip) return data;
  try {
    return gunzipSync(data, { maxOutputLength: IN_MEMORY_LIMIT * 4 });
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** Null for entries a revision must not carry at all; the caller names them in its error. */
function toRawEntry(header: Header): RawEntry | null {
  const base = { name: header.name, mode: header.mode ?? 0, mtime: header.mtime ?? new Date(0) };
  switch (header.type ?? "file") {
    case "file":
    case "contiguous-file":
      return { ...base, type: "file", size: header.size ?? 0 };
    case "directory":
      return { ...base, type: "directory", size: 0 };
    case "symlink":
      return { ...base, type: "symlink", size: 0, linkTarget: header.linkname ?? "" };
    case "link":
      return { ...base, type: "hardlink", size: 0, linkTarget: header.linkname ?? "" };
    default:
      return null;
  }
}

export function unsupportedEntry(header: Header): BundleError {
  return new BundleError(
    "UnsafeEntry",
    `Archive entry "${header.name}" is a ${header.type ?? "special file"}, which a revision cannot hold; the bundle is refused.`,
  );
}

export function tarHeaderOf(node: Node): TarHeader {
  const { entry } = node;
  const type = entry.type === "file" && node.hardLink ? "link" : entry.type;
  return {
    name: entry.path,
    type,
    mode: entry.mode,
    mtime: node.mtime,
    size: type === "file" ? entry.size : 0,
    linkname: entry.linkTarget,
  };
}
