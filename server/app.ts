import fs from "node:fs";
import type { Config } from "./config";
import type { AppContext } from "./context";
import { openDatabase, type Database } from "./db/client";
import { createEngine } from "./engine/engine";
import { loadSecretBox } from "./lib/secrets";
import type { Publisher } from "./realtime/publisher";
import { createBucketStore } from "./revisions/bucket-store";
import { ensureAdmin } from "./services/auth";

export type App = { ctx: AppContext; database: Database; generatedAdminPassword?: string; close(): Promise<void> };

/**
 * Builds the backend: database (migrated), secrets, bucket store and engine. Used by the server,
 * the demo and the integration tests alike, so they all run the same code.
 */
export async function createApp(
  config: Pick<Config, "dataDir" | "databaseUrl" | "adminPassword" | "secretKey">,
  publisher: Publisher,
): Promise<App> {
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { db } = database;
  const admin = await ensureAdmin(db, config.adminPassword);
  const secrets = loadSecretBox({ secretKey: config.secretKey, dataDir: config.dataDir });
  const store = createBucketStore(config.dataDir);
  const engine = createEngine({ db, secrets, store, publisher, dataDir: config.dataDir });
  const ctx: AppContext = { db, secrets, store, engine, publisher, dataDir: config.dataDir };
  await engine.start();
  return {
    ctx,
    database,
    generatedAdminPassword: admin.generatedPassword,
    async close() {
      await engine.shutdown();
      await database.close();
    },
  };
}
