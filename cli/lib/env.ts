import type { Api } from "./client";
import { readCredential } from "./credentials";
import { notSignedIn } from "./errors";

export const DEFAULT_ENDPOINT = "http://localhost:3000";

/** What a command gets besides its options: where the server is, who we are, and I/O. */
export type CliEnv = {
  endpoint: string;
  /** The session token, or throws "Not signed in". */
  token(): string;
  /** A tRPC client for the endpoint, signed in with token(). */
  api(): Promise<Api>;
  out(text: string): void;
  err(text: string): void;
  stdin: NodeJS.ReadStream;
  processEnv: NodeJS.ProcessEnv;
};

export function createEnv(endpointOption: string | undefined, processEnv: NodeJS.ProcessEnv = process.env): CliEnv {
  const endpoint = (endpointOption || processEnv.SLIPWAY_URL || DEFAULT_ENDPOINT).replace(/\/+$/, "");
  let api: Promise<Api> | null = null;
  const env: CliEnv = {
    endpoint,
    token() {
      const token = processEnv.SLIPWAY_TOKEN || readCredential(endpoint, processEnv)?.token;
      if (!token) throw notSignedIn();
      return token;
    },
    api() {
      // Resolve the token first: a missing one must fail before any module loads or request goes out.
      const token = env.token();
      api ??= import("./client").then((m) => m.createApi(endpoint, token));
      return api;
    },
    out: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    stdin: process.stdin,
    processEnv,
  };
  return env;
}
