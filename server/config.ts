import path from "node:path";

/** Configuration from the environment (design.md, "Configuration"). Read once, at start-up. */
export type Config = {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  secretKey: string | undefined;
  dev: boolean;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  return {
    port,
    dataDir: path.resolve(env.SLIPWAY_DATA_DIR || ".slipway"),
    databaseUrl: env.DATABASE_URL || undefined,
    adminPassword: env.SLIPWAY_ADMIN_PASSWORD || undefined,
    secretKey: env.SLIPWAY_SECRET_KEY || undefined,
    dev: argv.includes("--dev"),
  };
}
