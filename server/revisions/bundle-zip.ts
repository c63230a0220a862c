import fs from "node:fs/promises";
import zlib from "node:zlib";
import yauzl from "yauzl";
import type { Entry, ZipFile } from "yauzl";
import { BundleError, readAll, type RawEntry } from "./bundle-model";

/**
 * Reading zip bundles with yauzl. Names are decoded here rather than by yauzl: its own check
 * fails the whole archive with "invalid relative path: ..." before we can name the entry in a
 * message operators understand, and the model applies the same zip-slip rules to every format.
 */

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const MSDOS_DIRECTORY = 0x10;
const MAX_LINK_TARGET = 4096; // PATH_MAX: a longer "target" is not a symlink a host could make
const LOCAL_HEADER_SIGNATURE = 0x04034b50;

// Below this size a bundle is read into memory once: yauzl's per-entry reads and inflate streams
// cost ~0.5 ms each, which made a 100-file, 1 MB bundle take 50 ms instead of a few.
const IN_MEMORY_LIMIT = 16 * 1024 * 1024;

/** An open zip; `data` holds the whole file when it is small enough to read at once. */
export type OpenZip = { zip: ZipFile; data: Buffer | null };

/** The caller closes `zip`. */
export async function openZip(file: string): Promise<OpenZip> {
  const options = { lazyEntries: true, decodeStrings: false, autoClose: false, validateEntrySizes: true };
  const { size } = await fs.stat(file);
  const data = size <= IN_MEMORY_LIMIT ? await fs.readFile(file) : null;
  const zip = data ? await yauzl.fromBufferPromise(data, options) : await yauzl.openPromise(file, options);
  return { zip, data };
}

export async function withZip<T>(file: string, read: (zip: OpenZip) => Promise<T>): Promise<T> {
  const open = await openZip(file);
  try {
    return await read(open);
  } finally {
    open.zip.close();
  }
}

/** The entry's bytes: decoded in one go from memory, or as a yauzl stream for big bundles. */
export async function zipEntryBody({ zip, data }: OpenZip, entry: Entry): Promise<AsyncIterable<unknown> | Buffer> {
  return data ? inflateFromMemory(data, entry) : zip.openReadStreamPromise(entry);
}

export async function readZipEntry(open: OpenZip, entry: Entry): Promise<Buffer> {
  const body = await zipEntryBody(open, entry);
  return Buffer.isBuffer(body) ? body : readAll(body);
}

function inflateFromMemory(data: Buffer, entry: Entry): Buffer {
  const at = entry.relativeOffsetOfLocalHeader;
  if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL_HEADER_SIGNATURE) {
    throw new Error(`invalid local file header for "${entry.fileNameRaw.toString()}"`);
  }
  // The local header's name and extra lengths may differ from the central directory's.
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const raw = data.subarray(start, start + entry.compressedSize);
  if (raw.length !== entry.compressedSize) throw new Error("truncated zip entry");
  // maxOutputLength stops a zip bomb that lies about its size before it fills the memory.
  const body = entry.compressionMethod === 0 ? raw : zlib.inflateRawSync(raw, { maxOutputLength: entry.uncompressedSize + 1 });
  if (body.length !== entry.uncompressedSize) throw new Error("zip entry size does not match its header");
  if (typeof zlib.crc32 === "function" && zlib.crc32(body) >>> 0 !== entry.crc32 >>> 0) {
    throw new Error(`CRC mismatch in "${entry.fileNameRaw.toString()}"`);
  }
  return body;
}

/** Calls `visit` for every entry of the central directory, in order, with the zip still open. */
export async function forEachZipEntry(
  file: string,
  visit: (raw: RawEntry, entry: Entry, index: number, open: OpenZip) => void | Promise<void>,
): Promise<void> {
  await withZip(file, async (open) => {
    let index = 0;
    for await (const entry of open.zip.eachEntry()) {
      await visit(await toRawEntry(open, entry), entry, index++, open);
    }
  });
}

async function toRawEntry(open: OpenZip, entry: Entry): Promise<RawEntry> {
  // CP437 decoding turns a newline byte into "◙"; keep control bytes as they are, so the model
  // refuses the name other unzip tools would write with a real newline.
  const name = /[\0\n\r]/.test(entry.fileNameRaw.toString("latin1"))
    ? entry.fileNameRaw.toString("utf8")
    : yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
  if (entry.isEncrypted()) {
    throw new BundleError("InvalidArchive", `Archive entry "${name}" is encrypted, which a revision cannot be.`);
  }
  if (!entry.canDecodeFileData()) {
    throw new BundleError(
      "InvalidArchive",
      `Archive entry "${name}" uses zip compression method ${entry.compressionMethod}, which is not supported (use deflate or store).`,
    );
  }
  // Unix zippers keep st_mode in the high 16 bits; DOS/Windows ones leave them 0 and only set
  // the MS-DOS directory bit.
  const attributes = entry.externalFileAttributes >>> 0;
  const unixMode = attributes >>> 16;
  const kind = unixMode & S_IFMT;
  const isDir = name.endsWith("/") || kind === S_IFDIR || (kind === 0 && (attributes & MSDOS_DIRECTORY) !== 0);
  const permissions = unixMode & 0o7777;
  const base = { name, mtime: entry.getLastModDate() };
  if (isDir) return { ...base, type: "directory", mode: permissions || 0o755, size: 0 };
  if (kind === S_IFLNK) {
    if (entry.uncompressedSize > MAX_LINK_TARGET) {
      throw new BundleError("InvalidArchive", `Archive entry "${name}" is a symbolic link with an over-long target.`);
    }
    const linkTarget = (await readZipEntry(open, entry)).toString("utf8");
    return { ...base, type: "symlink", mode: permissions || 0o777, size: 0, linkTarget };
  }
  return { ...base, type: "file", mode: permissions || 0o644, size: entry.uncompressedSize };
}
