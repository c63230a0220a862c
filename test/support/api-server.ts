// The Slipway API without Next: what server/main.ts serves minus the pages, on a free port, for
// tests that drive the API over HTTP (the CLI, authentication) without a `next build`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { App } from "../../server/app";
import { startServer } from "../../server/server";

export type ApiServer = {
  url: string;
  port: number;
  dataDir: string;
  adminPassword: string;
  app: App;
  stop(): Promise<void>;
};

export async function startApiServer(opts: { adminPassword?: string; dataDir?: string } = {}): Promise<ApiServer> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "slipway-api-"));
  const adminPassword = opts.adminPassword ?? "test-admin-password";
  const server = await startServer(
    { port: 0, dataDir, databaseUrl: undefined, adminPassword, secretKey: undefined, dev: false },
    { withNext: false },
  );
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    dataDir,
    adminPassword,
    app: server.app,
    async stop() {
      await server.close();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
