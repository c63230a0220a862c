import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BucketStoreError, createBucketStore, type BucketStore } from "@/server/revisions/bucket-store";
import { parseS3Location, S3LocationError } from "@/server/revisions/s3-location";

let dataDir: string;
let store: BucketStore;
const md5 = (data: string | Buffer) => createHash("md5").update(data).digest("hex");

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString();
}

function rejection(run: () => unknown): Promise<unknown> {
  return Promise.resolve()
    .then(run)
    .then(
      () => null,
      (error: unknown) => error,
    );
}

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "slipway-buckets-"));
  store = createBucketStore(dataDir);
});

afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe("put and head", () => {
  it("stores a buffer under <dataDir>/buckets/<bucket>/<key> with an S3 md5 ETag", async () => {
    const result = await store.put("my-bucket", "apps/web/v1.zip", Buffer.from("hello"));
    expect(result).toEqual({ eTag: md5("hello"), size: 5 });
    expect(await fs.readFile(path.join(dataDir, "buckets/my-bucket/apps/web/v1.zip"), "utf8")).toBe("hello");
    const head = await store.head("my-bucket", "apps/web/v1.zip");
    expect(head).toMatchObject({ eTag: md5("hello"), size: 5 });
    expect(head?.lastModified).toBeInstanceOf(Date);
  });

  it("hashes a stream while writing it, and replaces an object atomically", async () => {
    const body = Readable.from([Buffer.from("a".repeat(100_000)), Buffer.from("b")]);
    const result = await store.put("my-bucket", "big.bin", body);
    expect(result).toEqual({ eTag: md5("a".repeat(100_000) + "b"), size: 100_001 });
    await store.put("my-bucket", "big.bin", Buffer.from("v2"));
    expect(await store.head("my-bucket", "big.bin")).toMatchObject({ eTag: md5("v2"), size: 2 });
    // No temporary file is left beside the objects.
    expect(await fs.readdir(path.join(dataDir, "buckets/.tmp"))).toEqual([]);
  });

  it("recomputes the ETag of a file changed behind the store's back", async () => {
    await store.put("my-bucket", "k", Buffer.from("one"));
    await fs.writeFile(store.pathOf("my-bucket", "k"), "changed!");
    expect((await store.head("my-bucket", "k"))?.eTag).toBe(md5("changed!"));
  });

  it("leaves nothing behind when the body stream fails", async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error("connection reset"));
      },
    });
    await expect(store.put("my-bucket", "k", failing)).rejects.toThrow("connection reset");
    expect(await store.head("my-bucket", "k")).toBeNull();
    expect(await fs.readdir(path.join(dataDir, "buckets/.tmp"))).toEqual([]);
  });

  it("returns null for a missing object and opens an existing one", async () => {
    expect(await store.head("my-bucket", "nope")).toBeNull();
    const error = await rejection(() => store.open("my-bucket", "nope"));
    expect(error).toBeInstanceOf(BucketStoreError);
    expect((error as BucketStoreError).code).toBe("NoSuchKey");
    expect((error as BucketStoreError).message).toBe("The specified key does not exist.");
    await store.put("my-bucket", "k", Buffer.from("content"));
    expect(await readStream(await store.open("my-bucket", "k"))).toBe("content");
  });
});

describe("names that must not become paths outside the bucket", () => {
  it.each([
    ["../x", '".." as a path segment'],
    ["a/../../x", '".." as a path segment'],
    ["/etc/passwd", 'must not start with "/"'],
    ["a\0b", "NUL byte"],
    ["", "must not be empty"],
    ["a//b", '"//"'],
    ["a/./b", '"." as a path segment'],
    ["dir/", 'must not end with "/"'],
  ])("refuses the key %j", async (key, reason) => {
    for (const run of [() => store.put("my-bucket", key, Buffer.from("x")), () => store.head("my-bucket", key)]) {
      const error = await rejection(run);
      expect(error).toBeInstanceOf(BucketStoreError);
      expect((error as BucketStoreError).code).toBe("InvalidKey");
      expect((error as BucketStoreError).message).toContain(reason);
    }
    expect(await fs.readdir(dataDir)).not.toContain("x");
  });

  it.each([
    ["ab", "3 to 63 characters"],
    ["My-Bucket", "lowercase letters"],
    ["my_bucket", "lowercase letters"],
    ["-bucket", "begin and end"],
    ["my..bucket", "adjacent dots"],
    ["192.168.1.10", "IP address"],
    ["..", "3 to 63 characters"],
  ])("refuses the bucket name %j", async (bucket, reason) => {
    const error = await rejection(() => store.pathOf(bucket, "k"));
    expect((error as BucketStoreError).code).toBe("InvalidBucketName");
    expect((error as BucketStoreError).message).toContain(reason);
  });

  it("reports a key that collides with a folder of other keys", async () => {
    await store.put("my-bucket", "a", Buffer.from("file"));
    const error = await rejection(() => store.put("my-bucket", "a/b", Buffer.from("x")));
    expect((error as BucketStoreError).code).toBe("KeyConflict");
    await store.put("my-bucket", "c/d", Buffer.from("x"));
    const folder = await rejection(() => store.put("my-bucket", "c", Buffer.from("x")));
    expect((folder as BucketStoreError).code).toBe("KeyConflict");
  });
});

describe("list and delete", () => {
  it("lists objects by key, per bucket or across buckets, with a prefix", async () => {
    await store.put("alpha", "releases/b.zip", Buffer.from("b"));
    await store.put("alpha", "releases/a.zip", Buffer.from("a"));
    await store.put("alpha", "other.txt", Buffer.from("o"));
    await store.put("beta", "releases/c.zip", Buffer.from("cc"));
    expect(await store.listBuckets()).toEqual(["alpha", "beta"]);
    expect((await store.list("alpha")).map((o) => o.key)).toEqual(["other.txt", "releases/a.zip", "releases/b.zip"]);
    const releases = await store.list(undefined, "releases/");
    expect(releases.map((o) => `${o.bucket}/${o.key}:${o.size}`)).toEqual([
      "alpha/releases/a.zip:1",
      "alpha/releases/b.zip:1",
      "beta/releases/c.zip:2",
    ]);
    expect(await store.list("empty-bucket")).toEqual([]);
  });

  it("deletes idempotently and removes emptied folders", async () => {
    await store.put("alpha", "x/y/z.zip", Buffer.from("z"));
    await store.delete("alpha", "x/y/z.zip");
    await store.delete("alpha", "x/y/z.zip");
    expect(await store.head("alpha", "x/y/z.zip")).toBeNull();
    // The folder "x" is gone, so "x" can now be an object itself.
    await store.put("alpha", "x", Buffer.from("now a file"));
    expect(await store.list("alpha")).toMatchObject([{ key: "x", size: 10 }]);
  });
});

describe("parseS3Location", () => {
  it("reads s3://bucket/key", () => {
    expect(parseS3Location("s3://my-bucket/apps/web/v1.zip")).toEqual({ bucket: "my-bucket", key: "apps/web/v1.zip" });
  });

  it("reads the aws CLI shorthand", () => {
    expect(parseS3Location("bucket=my-bucket,key=app.tgz,bundleType=tgz,version=3,eTag=abc123")).toEqual({
      bucket: "my-bucket",
      key: "app.tgz",
      bundleType: "tgz",
      version: "3",
      eTag: "abc123",
    });
    expect(parseS3Location('bucket=b12,key=a,b.zip,bundleType=zip,eTag="e1"')).toEqual({
      bucket: "b12",
      key: "a,b.zip",
      bundleType: "zip",
      eTag: "e1",
    });
  });

  it.each([
    ["bucket=b12,key=k,bundleType=rar", "bundleType must be one of zip, tar, tgz"],
    ["bucket=b12,key=k,bundleType=tar.gz", "bundleType must be one of zip, tar, tgz"],
    ["key=k,bundleType=zip", "missing bucket="],
    ["bucket=b12,bundleType=zip", "missing key="],
    ["bucket=b12,key=k,color=red", 'Unknown field "color"'],
    ["bucket=b12,key=", 'Field "key" of S3 location is empty'],
    ["s3://my-bucket", "expected s3://bucket/key"],
    ["s3://My_Bucket/k", "lowercase letters"],
    ["s3://my-bucket/../etc/passwd", '".." as a path segment'],
    ["just words", "is not an S3 location"],
  ])("refuses %j", (text, message) => {
    expect(() => parseS3Location(text)).toThrow(S3LocationError);
    expect(() => parseS3Location(text)).toThrow(message);
  });
});
