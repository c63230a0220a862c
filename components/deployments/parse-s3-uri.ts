/** "s3://bucket/some/key.zip" -> { bucket, key }, or a message saying what is wrong. */
export function parseS3Uri(text: string): { bucket: string; key: string } | { error: string } {
  const value = text.trim();
  if (!value) return { error: "Enter the revision location, e.g. s3://my-bucket/app.zip" };
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(value);
  if (!m) return { error: "The location must look like s3://bucket-name/object-key" };
  return { bucket: m[1], key: m[2] };
}
