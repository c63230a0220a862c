import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { S3Location } from "../../drizzle/schema";
import type { PreparedRevision } from "../host/prepared-revision";
import type { BucketStore } from "../revisions/bucket-store";
import { formatS3Uri } from "../revisions/bucket-store";
import { openBundle } from "../revisions/bundle";

/** Why DownloadBundle fails; the message is what operators see on the lifecycle event. */
export class RevisionUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RevisionUnavailable";
  }
}

/**
 * Fetches and checks a revision once per deployment, before any host gets it: the object must
 * exist (S3's "The specified key does not exist."), match its eTag when one is given, be the
 * declared bundle type and hold no entry escaping its folder. It is rewritten as a plain tar in
 * `<dataDir>/cache/`, which every host of the deployment then streams.
 */
export async function prepareRevision(
  store: BucketStore,
  location: S3Location,
  cacheDir: string,
  name: string,
): Promise<PreparedRevision> {
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
  const bundle = await openBundle(store.pathOf(location.bucket, location.key), location.bundleType, uri).catch(
    (err: Error) => {
      throw new RevisionUnavailable(err.message);
    },
  );
  fs.mkdirSync(cacheDir, { recursive: true });
  const tarFile = path.join(cacheDir, `${name}.tar`);
  const hash = crypto.createHash("sha256");
  await pipeline(
    bundle.toTar(),
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        yield chunk;
      }
    },
    fs.createWriteStream(tarFile),
  );
  const appspecText = bundle.appspecPath ? (await bundle.readFile(bundle.appspecPath)).toString("utf8") : null;
  return {
    tarFile,
    sha256: hash.digest("hex"),
    entries: bundle.entries.map((e) => ({ path: e.path, type: e.type })),
    appspecText,
  };
}
