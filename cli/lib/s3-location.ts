import { UsageError } from "./errors";
import { parseShorthand, pickKeys } from "./shorthand";

export const BUNDLE_TYPES = ["zip", "tar", "tgz"] as const;
export type BundleType = (typeof BUNDLE_TYPES)[number];
export type S3Location = { bucket: string; key: string; bundleType: BundleType; eTag?: string; version?: string };

/** `s3://bucket/path/to/key` -> bucket and key. */
export function parseS3Uri(option: string, uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri.trim());
  if (!m) throw new UsageError(`argument --${option}: expected s3://<bucket>/<key>, got '${uri}'`);
  return { bucket: m[1], key: m[2] };
}

/** What `aws deploy push` infers from the key: tarballs by their extension, a zip otherwise. */
export function bundleTypeOfKey(key: string): BundleType {
  const k = key.toLowerCase();
  if (k.endsWith(".tar.gz") || k.endsWith(".tgz")) return "tgz";
  if (k.endsWith(".tar")) return "tar";
  return "zip";
}

function bundleType(option: string, value: string): BundleType {
  if ((BUNDLE_TYPES as readonly string[]).includes(value)) return value as BundleType;
  throw new UsageError(`Error parsing parameter '--${option}': bundleType must be one of ${BUNDLE_TYPES.join(", ")}, not '${value}'`);
}

/**
 * create-deployment's `--s3-location`: the aws shorthand `bucket=B,key=K,bundleType=zip[,eTag=E]`
 * (or its JSON), or `s3://B/K` with the bundle type from `--bundle-type` or the key's extension.
 */
export function parseS3Location(option: string, text: string, bundleTypeOption?: string): S3Location {
  if (text.trim().startsWith("s3://")) {
    const { bucket, key } = parseS3Uri(option, text);
    return { bucket, key, bundleType: bundleTypeOption ? bundleType("bundle-type", bundleTypeOption) : bundleTypeOfKey(key) };
  }
  const f = pickKeys(option, parseShorthand(option, text), ["bucket", "key", "bundleType", "eTag", "version"] as const);
  const missing = (["bucket", "key"] as const).filter((k) => !f[k]);
  if (missing.length) throw new UsageError(`Error parsing parameter '--${option}': missing required key${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`);
  const type = f.bundleType ?? bundleTypeOption;
  return {
    bucket: f.bucket!,
    key: f.key!,
    bundleType: type ? bundleType(option, type) : bundleTypeOfKey(f.key!),
    ...(f.eTag ? { eTag: f.eTag } : {}),
    ...(f.version ? { version: f.version } : {}),
  };
}

/** The shorthand back again, as push prints it for create-deployment. */
export function formatS3Location(l: S3Location): string {
  return [`bucket=${l.bucket}`, `key=${l.key}`, `bundleType=${l.bundleType}`, ...(l.eTag ? [`eTag=${l.eTag}`] : [])].join(",");
}
