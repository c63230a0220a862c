import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createCaller } from "../../server/api/root";
import { loginOf, type TestHosts } from "./test-hosts";
import { createApp, type App } from "../../server/app";
import { collectingPublisher } from "../../server/realtime/publisher";

export const PG_ADMIN_URL = process.env.DATABASE_URL_TEST ?? "postgres://postgres@127.0.0.1:5432/test";
export type DbKind = "pglite" | "postgres";

/**
 * A real backend for a test: its own data dir, and either embedded PGlite or a fresh database on
 * the real PostgreSQL server (dropped afterwards). Returns an authenticated tRPC caller.
 */
export async function startBackend(kind: DbKind) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-test-"));
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (kind === "postgres") {
    const name = `slipway_test_${process.pid}_${Date.now().toString(36)}`;
    const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(PG_ADMIN_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const a = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  }
  const { publisher, messages } = collectingPublisher();
  const app: App = await createApp({ dataDir, databaseUrl, adminPassword: "test-admin-password", secretKey: undefined }, publisher);
  const caller = createCaller({ app: app.ctx, user: { id: 1, username: "admin" }, token: null });
  return {
    app,
    caller,
    messages,
    dataDir,
    async close() {
      await app.close();
      await dropDb?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type Backend = Awaited<ReturnType<typeof startBackend>>;

/** Builds a revision archive from a map of files (path -> content; mode 0755 for .sh). */
export function makeBundle(files: Record<string, string>, type: "zip" | "tar" | "tgz" = "zip"): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-rev-"));
  try {
    const src = path.join(dir, "src");
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(src, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, { mode: rel.endsWith(".sh") ? 0o755 : 0o644 });
    }
    const out = path.join(dir, `bundle.${type}`);
    if (type === "zip") execFileSync("zip", ["-q", "-r", out, "."], { cwd: src });
    else execFileSync("tar", [type === "tgz" ? "-czf" : "-cf", out, "."], { cwd: src });
    return fs.readFileSync(out);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Caller = ReturnType<typeof createCaller>;

/** Registers every host of a fleet, trusted (pinned to its real fingerprint) and tagged. */
export async function registerFleet(caller: Caller, fleet: TestHosts, tags: { Key: string; Value: string }[]) {
  for (const h of fleet.hosts)
    await caller.hosts.register({ ...loginOf(fleet, h), tags });
}
