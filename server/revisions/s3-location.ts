/**
 * S3-style revision locations: the names CodeDeploy uses (`bucket`, `key`, `bundleType`, `version`,
 * `eTag`), their validation, and the two textual forms operators already type: `s3://bucket/key`
 * and the aws CLI shorthand `bucket=B,key=K,bundleType=zip`.
 */

export const BUNDLE_TYPES = ["zip", "tar", "tgz"] as const;
export type BundleType = (typeof BUNDLE_TYPES)[number];

/** How the CodeDeploy console labels each bundle type. */
export const BUNDLE_TYPE_LABELS: Record<BundleType, string> = {
  zip: ".zip",
  tar: ".tar",
  tgz: ".tar.gz",
};

export type S3Location = {
  bucket: string;
  key: string;
  bundleType?: BundleType;
  version?: string;
  eTag?: string;
};

export class S3LocationError extends Error {
  readonly code = "InvalidS3Location";
  constructor(message: string) {
    super(message);
    this.name = "S3LocationError";
  }
}

export function isBundleType(value: string): value is BundleType {
  return (BUNDLE_TYPES as readonly string[]).includes(value);
}

export function parseBundleType(value: string): BundleType {
  if (!isBundleType(value)) {
    throw new S3LocationError(`bundleType must be one of zip, tar, tgz (got "${value}")`);
  }
  return value;
}

/** Returns why `name` is not a valid S3 bucket name, or null when it is. */
export function bucketNameProblem(name: string): string | null {
  const quoted = `Bucket name "${name}"`;
  if (name.length < 3 || name.length > 63) return `${quoted} must be 3 to 63 characters long`;
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return `${quoted} may only contain lowercase letters, digits, dots and hyphens`;
  }
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) {
    return `${quoted} must begin and end with a lowercase letter or a digit`;
  }
  if (name.includes("..")) return `${quoted} must not contain two adjacent dots`;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return `${quoted} must not be formatted as an IP address`;
  return null;
}

/**
 * Returns why `key` cannot be stored, or null. S3 allows almost any key, but ours become file paths
 * under the bucket's folder, so every rule here exists to keep a key from naming a path outside
 * it (or two keys from naming the same file).
 */
export function objectKeyProblem(key: string): string | null {
  if (key.length === 0) return "Object key must not be empty";
  const quoted = `Object key "${key}"`;
  if (key.includes("\0")) return `${quoted} must not contain a NUL byte`;
  if (Buffer.byteLength(key) > 1024) return `${quoted} is longer than 1024 bytes`;
  if (key.startsWith("/")) return `${quoted} must not start with "/"`;
  if (key.endsWith("/")) return `${quoted} must not end with "/" (folders are not objects here)`;
  for (const segment of key.split("/")) {
    if (segment === "..") return `${quoted} must not contain ".." as a path segment`;
    if (segment === ".") return `${quoted} must not contain "." as a path segment`;
    if (segment === "") return `${quoted} must not contain "//"`;
    if (Buffer.byteLength(segment) > 255) {
      return `${quoted} has a path segment longer than 255 bytes`;
    }
  }
  return null;
}

const SHORTHAND_FIELDS = ["bucket", "key", "bundleType", "version", "eTag"] as const;
type ShorthandField = (typeof SHORTHAND_FIELDS)[number];

/** Accepts `s3://bucket/key` or `bucket=B,key=K,bundleType=zip[,version=V][,eTag=E]`. */
export function parseS3Location(text: string): S3Location {
  const input = text.trim();
  const location = input.startsWith("s3://") ? parseUri(input) : parseShorthand(input);
  const problem = bucketNameProblem(location.bucket) ?? objectKeyProblem(location.key);
  if (problem) throw new S3LocationError(problem);
  return location;
}

function parseUri(input: string): S3Location {
  const rest = input.slice("s3://".length);
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) {
    throw new S3LocationError(`"${input}" is not an S3 location; expected s3://bucket/key`);
  }
  return { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

function parseShorthand(input: string): S3Location {
  const values = new Map<ShorthandField, string>();
  let last: ShorthandField | null = null;
  for (const part of input.split(",")) {
    const eq = part.indexOf("=");
    const name = eq > 0 ? part.slice(0, eq).trim() : "";
    if (eq <= 0 || !(SHORTHAND_FIELDS as readonly string[]).includes(name)) {
      // A key may itself hold a comma ("key=a,b.zip"): a part without "=" continues the key
      // instead of failing the whole location.
      if (last === "key" && eq === -1) {
        values.set(last, `${values.get(last)},${part}`);
        continue;
      }
      throw new S3LocationError(
        eq > 0
          ? `Unknown field "${name}" in S3 location; expected bucket, key, bundleType, version, eTag`
          : `"${input}" is not an S3 location; expected s3://bucket/key or bucket=B,key=K,bundleType=zip`,
      );
    }
    const field = name as ShorthandField;
    if (values.has(field)) throw new S3LocationError(`Field "${field}" is given twice in S3 location`);
    values.set(field, part.slice(eq + 1).trim());
    last = field;
  }
  for (const [field, value] of values) {
    if (value === "") throw new S3LocationError(`Field "${field}" of S3 location is empty`);
  }
  const bucket = values.get("bucket");
  const key = values.get("key");
  if (bucket === undefined) throw new S3LocationError("S3 location is missing bucket=");
  if (key === undefined) throw new S3LocationError("S3 location is missing key=");
  const location: S3Location = { bucket, key };
  const bundleType = values.get("bundleType");
  if (bundleType !== undefined) location.bundleType = parseBundleType(bundleType);
  const version = values.get("version");
  if (version !== undefined) location.version = version;
  const eTag = values.get("eTag");
  // The CLI and the API quote ETags ("\"abc\""); compare and store them bare.
  if (eTag !== undefined) location.eTag = eTag.replace(/^"(.*)"$/, "$1");
  return location;
}

export function formatS3Uri(location: Pick<S3Location, "bucket" | "key">): string {
  return `s3://${location.bucket}/${location.key}`;
}
