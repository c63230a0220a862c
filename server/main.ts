import { loadConfig } from "./config";
import { startServer } from "./server";

async function main() {
  const config = loadConfig();
  const { app, port, close } = await startServer(config);
  if (app.generatedAdminPassword) {
    console.log(
      `\n  Created the admin account. Sign in as "admin" with the password: ${app.generatedAdminPassword}\n` +
        `  (shown once; set SLIPWAY_ADMIN_PASSWORD on first start to choose it)\n`,
    );
  }
  const where = app.database.kind === "pglite" ? `embedded database in ${config.dataDir}/pg` : "PostgreSQL";
  console.log(`Slipway console on http://localhost:${port} (${where})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping (running deployments are stopped)`);
    await close().catch((e) => console.error(e));
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`Slipway could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
