import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../context";
import { BucketStoreError } from "../revisions/bucket-store";
import { tokenFromHeaders, userForToken } from "../services/auth";

const MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024;

function reply(res: ServerResponse, status: number, body: object) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/**
 * `PUT /api/s3/<bucket>/<key>`: an S3-style object upload into the local bucket store, used by
 * the console's "Upload revision" and by `slipway push`. Authenticated like every API call.
 */
export async function handleUpload(ctx: AppContext, req: IncomingMessage, res: ServerResponse, path: string) {
  const user = await userForToken(ctx.db, tokenFromHeaders({ authorization: req.headers.authorization, cookie: req.headers.cookie }));
  if (!user) return reply(res, 401, { message: "Sign in first (console) or run `slipway login` (CLI)." });
  if (req.method !== "PUT") return reply(res, 405, { message: "Use PUT to upload an object." });
  const rest = path.slice("/api/s3/".length);
  const slash = rest.indexOf("/");
  const bucket = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash));
  const key = slash === -1 ? "" : rest.slice(slash + 1).split("/").map(decodeURIComponent).join("/");
  const length = Number(req.headers["content-length"] ?? 0);
  if (length > MAX_BUNDLE_BYTES) return reply(res, 413, { message: `A bundle may be at most ${MAX_BUNDLE_BYTES} bytes.` });
  try {
    const { eTag, size } = await ctx.store.put(bucket, key, req);
    reply(res, 200, { bucket, key, eTag, size });
  } catch (err) {
    if (err instanceof BucketStoreError) return reply(res, 400, { message: err.message, code: err.code });
    reply(res, 500, { message: `Upload failed: ${(err as Error).message}` });
  }
}
