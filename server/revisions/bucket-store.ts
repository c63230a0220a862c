import { createHash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bucketNameProblem, objectKeyProblem } from "./s3-location";

/**
 * The local S3-style object store: `<dataDir>/buckets/<bucket>/<key>`. An S3-compatible endpoint
 * can later stand behind the same shape, so callers only see buckets, keys, ETags and streams.
 */

export type BucketStoreErrorCode = "InvalidBucketName" | "InvalidKey" | "NoSuchKey" | "KeyConflict";

export class BucketStoreError extends Error {
  constructor(
    readonly code: BucketStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "BucketStoreError";
  }
}

export type ObjectHead = { eTag: string; size: number; lastModified: Date };
export type ObjectSummary = { bucket: string; key: string; size: number; lastModified: Date };

export type BucketStore = {
  put(bucket: string, key: string, body: NodeJS.ReadableStream | Buffer): Promise<{ eTag: string; size: number }>;
  head(bucket: string, key: string): Promise<ObjectHead | null>;
  /** Rejects with NoSuchKey ("The specified key does not exist.") when the object is missing. */
  open(bucket: string, key: string): Promise<NodeJS.ReadableStream>;
  pathOf(bucket: string, key: string): string;
  /** Objects sorted by key; all buckets when `bucket` is omitted. */
  list(bucket?: string, prefix?: string): Promise<ObjectSummary[]>;
  listBuckets(): Promise<string[]>;
  /** Idempotent, like S3: deleting a missing key is not an error. */
  delete(bucket: string, key: string): Promise<void>;
};

// Bucket names cannot start with a dot, so this folder never collides with a bucket; it lives
// under the same parent so the final rename stays on one filesystem and is atomic.
const TEMP_DIR = ".tmp";

export function createBucketStore(dataDir: string): BucketStore {
  const root = path.resolve(dataDir, "buckets");
  // An S3 ETag is the md5 of the body; computing it reads the whole object, so remember it per
  // file identity (a put renames a new inode into place, which invalidates the entry).
  const eTags = new Map<string, { identity: string; eTag: string }>();

  function bucketDir(bucket: string): string {
    const problem = bucketNameProblem(bucket);
    if (problem) throw new BucketStoreError("InvalidBucketName", problem);
    return path.join(root, bucket);
  }

  function pathOf(bucket: string, key: string): string {
    const dir = bucketDir(bucket);
    const problem = objectKeyProblem(key);
    if (problem) throw new BucketStoreError("InvalidKey", problem);
    const file = path.resolve(dir, key);
    // objectKeyProblem already rules out escapes; this is the belt to its braces.
    if (!file.startsWith(dir + path.sep)) {
      throw new BucketStoreError("InvalidKey", `Object key "${key}" resolves outside bucket "${bucket}"`);
    }
    return file;
  }

  async function put(bucket: string, key: string, body: NodeJS.ReadableStream | Buffer) {
    const file = pathOf(bucket, key);
    const tempDir = path.join(root, TEMP_DIR);
    await fs.mkdir(tempDir, { recursive: true });
    await makeParentDirs(bucket, key, file);
    const temp = path.join(tempDir, randomUUID());
    const hash = createHash("md5");
    let size = 0;
    try {
      if (Buffer.isBuffer(body)) {
        hash.update(body);
        size = body.length;
        await fs.writeFile(temp, body);
      } else {
        const measure = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            size += chunk.length;
            done(null, chunk);
          },
        });
        await pipeline(body, measure, createWriteStream(temp));
      }
      await fs.rename(temp, file).catch((error: unknown) => {
        if (errorCode(error) === "EISDIR" || errorCode(error) === "ENOTEMPTY") {
          throw conflict(bucket, key, `"${key}" is a folder of other objects`);
        }
        throw error;
      });
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    const eTag = hash.digest("hex");
    const stat = await fs.stat(file);
    eTags.set(file, { identity: identityOf(stat), eTag });
    return { eTag, size };
  }

  async function makeParentDirs(bucket: string, key: string, file: string) {
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
    } catch (error) {
      if (errorCode(error) !== "ENOTDIR" && errorCode(error) !== "EEXIST") throw error;
      throw conflict(bucket, key, "a parent folder of it is already an object");
    }
  }

  async function head(bucket: string, key: string): Promise<ObjectHead | null> {
    const file = pathOf(bucket, key);
    const stat = await fs.stat(file).catch(ignoreMissing);
    if (!stat?.isFile()) return null;
    const identity = identityOf(stat);
    let eTag = eTags.get(file)?.identity === identity ? eTags.get(file)?.eTag : undefined;
    if (eTag === undefined) {
      const hash = createHash("md5");
      await pipeline(createReadStream(file), hash);
      eTag = hash.digest("hex");
      eTags.set(file, { identity, eTag });
    }
    return { eTag, size: stat.size, lastModified: stat.mtime };
  }

  async function open(bucket: string, key: string): Promise<NodeJS.ReadableStream> {
    // Opening the descriptor first means a concurrent put (rename) cannot swap the object
    // between the existence check and the read.
    const handle = await fs.open(pathOf(bucket, key), "r").catch((error: unknown) => {
      if (errorCode(error) === "ENOENT" || errorCode(error) === "EISDIR") {
        throw new BucketStoreError("NoSuchKey", "The specified key does not exist.");
      }
      throw error;
    });
    const stat = await handle.stat();
    if (!stat.isFile()) {
      await handle.close();
      throw new BucketStoreError("NoSuchKey", "The specified key does not exist.");
    }
    return handle.createReadStream();
  }

  async function listBuckets(): Promise<string[]> {
    const dirents = await fs.readdir(root, { withFileTypes: true }).catch(ignoreMissing);
    return (dirents ?? [])
      .filter((d) => d.isDirectory() && bucketNameProblem(d.name) === null)
      .map((d) => d.name)
      .sort();
  }

  async function list(bucket?: string, prefix = ""): Promise<ObjectSummary[]> {
    const buckets = bucket === undefined ? await listBuckets() : [bucket];
    const objects: ObjectSummary[] = [];
    for (const name of buckets) {
      const dir = bucketDir(name);
      for (const key of await walk(dir, "")) {
        if (!key.startsWith(prefix)) continue;
        const stat = await fs.stat(path.join(dir, key)).catch(ignoreMissing);
        if (stat) objects.push({ bucket: name, key, size: stat.size, lastModified: stat.mtime });
      }
    }
    // S3 lists keys in UTF-8 binary order, which plain string comparison does not give.
    return objects.sort(
      (a, b) => a.bucket.localeCompare(b.bucket) || Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)),
    );
  }

  async function remove(bucket: string, key: string): Promise<void> {
    const dir = bucketDir(bucket);
    const file = pathOf(bucket, key);
    const stat = await fs.lstat(file).catch(ignoreMissing);
    if (!stat) return;
    if (stat.isDirectory()) return; // a "folder" of other keys is not an object
    await fs.rm(file, { force: true });
    eTags.delete(file);
    // Drop emptied folders so a later put of the folder's name as a key is not a conflict.
    for (let parent = path.dirname(file); parent !== dir; parent = path.dirname(parent)) {
      const removed = await fs.rmdir(parent).then(
        () => true,
        () => false,
      );
      if (!removed) break;
    }
  }

  return { put, head, open, pathOf, list, listBuckets, delete: remove };
}

async function walk(dir: string, prefix: string): Promise<string[]> {
  const dirents = await fs.readdir(dir, { withFileTypes: true }).catch(ignoreMissing);
  const keys: string[] = [];
  for (const dirent of dirents ?? []) {
    const key = prefix + dirent.name;
    if (dirent.isDirectory()) keys.push(...(await walk(path.join(dir, dirent.name), `${key}/`)));
    else if (dirent.isFile()) keys.push(key);
  }
  return keys;
}

function conflict(bucket: string, key: string, why: string): BucketStoreError {
  return new BucketStoreError("KeyConflict", `Cannot store "${key}" in bucket "${bucket}": ${why}`);
}

function identityOf(stat: { ino: number; size: number; mtimeMs: number }): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function ignoreMissing(error: unknown): null {
  if (errorCode(error) === "ENOENT" || errorCode(error) === "ENOTDIR") return null;
  throw error;
}
