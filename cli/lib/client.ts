import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "../../server/api/root";
import { CliError, EXIT, ServiceError } from "./errors";

export type Api = ReturnType<typeof createApi>;

export function createApi(endpoint: string, token: string | null) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${endpoint}/api/trpc`,
        transformer: superjson,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}

/** When the server gives no CodeDeploy exception name, one that says the same thing. */
const EXCEPTION_FOR_CODE: Record<string, string> = {
  UNAUTHORIZED: "UnauthorizedException",
  FORBIDDEN: "AccessDeniedException",
  NOT_FOUND: "ResourceNotFoundException",
  CONFLICT: "ConflictException",
  BAD_REQUEST: "ValidationException",
  PRECONDITION_FAILED: "PreconditionFailedException",
  TOO_MANY_REQUESTS: "ThrottlingException",
  INTERNAL_SERVER_ERROR: "InternalFailure",
};

type ZodFlat = { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> };

function zodMessage(z: ZodFlat): string {
  const fields = Object.entries(z.fieldErrors).flatMap(([field, msgs]) => (msgs ?? []).map((m) => `${field}: ${m}`));
  return [...z.formErrors, ...fields].join("; ") || "Invalid input.";
}

/** The first network-level cause (ECONNREFUSED, ENOTFOUND, ...) of a failed fetch. */
function networkCause(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+/.test(code)) return code;
  }
  return null;
}

/** Turns whatever the tRPC client threw into what the CLI prints; null if it is not a tRPC error. */
export function toCliError(err: unknown, endpoint: string): CliError | null {
  if (!(err instanceof TRPCClientError)) return null;
  const e = err as TRPCClientError<AppRouter>;
  const data = e.data;
  if (!data) {
    const cause = networkCause(e);
    if (cause || /fetch failed/i.test(e.message))
      return new CliError(`Could not connect to the endpoint URL: "${endpoint}" (${cause ?? e.message})`, EXIT.SERVICE);
    return new CliError(`The endpoint "${endpoint}" did not answer like a Slipway server: ${e.message}`, EXIT.SERVICE);
  }
  if (data.zodError) return new ServiceError("ValidationException", zodMessage(data.zodError as ZodFlat));
  if (data.exception) return new ServiceError(data.exception, e.message);
  return new ServiceError(EXCEPTION_FOR_CODE[data.code] ?? "InternalFailure", e.message);
}

export type UploadResult = { bucket: string; key: string; eTag: string; size: number };

/** `PUT /api/s3/<bucket>/<key>` with the file as the body, streamed. */
export async function uploadObject(endpoint: string, token: string, bucket: string, key: string, file: string): Promise<UploadResult> {
  const size = fs.statSync(file).size;
  const url = new URL(`${endpoint}/api/s3/${encodeURIComponent(bucket)}/${key.split("/").map(encodeURIComponent).join("/")}`);
  const transport = url.protocol === "https:" ? https : http;
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/octet-stream", "content-length": String(size) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", (err: NodeJS.ErrnoException) =>
      reject(new CliError(`Could not connect to the endpoint URL: "${endpoint}" (${err.code ?? err.message})`, EXIT.SERVICE)),
    );
    fs.createReadStream(file).on("error", reject).pipe(req);
  });
  let json: { message?: string; code?: string } & Partial<UploadResult> = {};
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    // Not JSON: reported below with the status.
  }
  if (status === 200 && json.eTag) return { bucket, key, eTag: json.eTag, size: json.size ?? size };
  const exception = json.code ?? (status === 401 ? "UnauthorizedException" : status === 413 ? "EntityTooLarge" : "UploadFailed");
  throw new ServiceError(exception, json.message ?? `The server answered ${status} to the upload.`, "PutObject");
}
