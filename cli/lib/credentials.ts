import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** ~/.config/slipway/credentials.json: `{ "<endpoint>": { "token", "username", "expiresAt" } }`, mode 0600. */
export type StoredCredential = { token: string; username: string; expiresAt: string };
type CredentialsFile = Record<string, StoredCredential>;

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), ".config");
  return path.join(base, "slipway", "credentials.json");
}

/** Endpoints differ only by a trailing slash or letter case in the host: keep one key for both. */
export function endpointKey(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return endpoint.replace(/\/+$/, "");
  }
}

function readAll(file: string): CredentialsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as CredentialsFile) : {};
  } catch {
    return {};
  }
}

export function readCredential(endpoint: string, env?: NodeJS.ProcessEnv): StoredCredential | null {
  const entry = readAll(credentialsPath(env))[endpointKey(endpoint)];
  if (!entry || typeof entry.token !== "string") return null;
  if (entry.expiresAt && Date.parse(entry.expiresAt) < Date.now()) return null;
  return entry;
}

/** Written to a temp file with mode 0600 and renamed, so the token is never readable by others. */
export function writeCredential(endpoint: string, credential: StoredCredential | null, env?: NodeJS.ProcessEnv): string {
  const file = credentialsPath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const all = readAll(file);
  if (credential) all[endpointKey(endpoint)] = credential;
  else delete all[endpointKey(endpoint)];
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  return file;
}
