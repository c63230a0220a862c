import type { Db } from "./db/client";
import type { Engine } from "./engine/engine";
import type { SecretBox } from "./lib/secrets";
import type { Publisher } from "./realtime/publisher";
import type { BucketStore } from "./revisions/bucket-store";

/** Everything a service needs, built once at start-up (server/app.ts) and passed down. */
export type AppContext = {
  db: Db;
  secrets: SecretBox;
  store: BucketStore;
  engine: Engine;
  publisher: Publisher;
  dataDir: string;
};
