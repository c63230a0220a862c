import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { S3Location } from "../../drizzle/schema";
import type { PreparedRevision } from "../host/prepared-revision";
import type { BucketStore } from "../revisions/bucket-store";
import { formatS3Uri } from "../revisions/s3-location";
import { openBundle } from "../revisions/bundle";

/** Why DownloadBundle fails; the message is what operators see on the lifecycle event. */
export class RevisionUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RevisionUnavailable";
  }
}

/** How many prepared revisions stay on the server's disk for redeploys and rollbacks. */
const KEEP_PREPARED = 8;

export type RevisionCache = { get(location: S3Location): Promise<PreparedRevision>; clear(): void };

/**
 * Fetches and checks a revision before any host gets it: the object must exist (S3's "The
 * specified key does not exist."), match its eTag when one is given, be the declared bundle type
 * and hold no entry escaping its folder. It is rewritten as a plain tar under `cacheDir`, which
 * every host of the deployment then streams. The last few prepared revisions are kept, keyed by
 * location, type and the object's eTag, so a rollback or redeploy of one does not redo the work;
 * a re-uploaded object has another eTag and is prepared again.
 */
export function createRevisionCache(store: BucketStore, cacheDir: string): RevisionCache {
  const prepared = new Map<string, Promise<PreparedRevision>>();
  fs.rmSync(cacheDir, { recursive: true, force: true }); // leftovers of an earlier process
  return {
    async get(location) {
      const head = await checkObject(store, location);
      const key = [location.bucket, location.key, location.bundleType, head.eTag].join("\0");
      let entry = prepared.get(key);
      if (entry) prepared.delete(key); // re-inserted below: most recently used last
      else entry = build(store, location, path.join(cacheDir, `${crypto.randomUUID()}.tar`));
      prepared.set(key, entry);
      entry.catch(() => prepared.delete(key));
      while (prepared.size > KEEP_PREPARED) {
        const [oldest, old] = prepared.entries().next().value!;
        prepared.delete(oldest);
        void old.then((r) => fs.promises.rm(r.tarFile, { force: true })).catch(() => {});
      }
      return entry;
    },
    clear() {
      prepared.clear();
      fs.rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

async function checkObject(store: BucketStore, location: S3Location) {
  const uri = formatS3Uri(location);
  const head = await store.head(location.bucket, location.key).catch((err: Error) => {
    throw new RevisionUnavailable(`${err.message} (${uri})`);
  });
  if (!head) {
    const buckets = await store.listBuckets();
    if (!buckets.includes(location.bucket)) throw new RevisionUnavailable(`The specified bucket does not exist. (${uri})`);
    throw new RevisionUnavailable(`The specified key does not exist. (${uri})`);
  }
  if (location.eTag && location.eTag.replace(/"/g, "") !== head.eTag)
    throw new RevisionUnavailable(
      `The object at ${uri} has eTag ${head.eTag}, not the ${location.eTag} this deployment asks for.`,
    );
  return head;
}

async function build(store: BucketStore, location: S3Location, tarFile: string): Promise<PreparedRevision> {
  const uri = formatS3Uri(location);
  const bundle = await openBundle(store.pathOf(location.bucket, location.key), location.bundleType, uri).catch(
    (err: Error) => {
      throw new RevisionUnavailable(err.message);
    },
  );
  fs.mkdirSync(path.dirname(tarFile), { recursive: true });
  const hash = crypto.createHash("sha256");
  const b2 = crypto.createHash("blake2b512");
  await pipeline(
    bundle.toTar(),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        b2.update(chunk);
        yield chunk;
      }
    },
    fs.createWriteStream(tarFile),
  );
  const appspecText = bundle.appspecPath ? (await bundle.readFile(bundle.appspecPath)).toString("utf8") : null;
  return {
    tarFile,
    sha256: hash.digest("hex"),
    b2: b2.digest("hex"),
    entries: bundle.entries.map((e) => ({ path: e.path, type: e.type })),
    appspecText,
  };
}
