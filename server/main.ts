import http from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import next from "next";
import { appRouter } from "./api/root";
import { createTrpcContext } from "./api/trpc";
import { createApp, type App } from "./app";
import { loadConfig } from "./config";
import { handleUpload } from "./http/upload";
import { socketPublisher } from "./realtime/publisher";
import { attachSockets } from "./realtime/sockets";
import { userForToken } from "./services/auth";

/**
 * One process, one port: the database and engine, tRPC at /api/trpc, socket.io at /socket.io,
 * bucket uploads at /api/s3/, and Next for every other path (design.md, "One process, one port").
 */
async function main() {
  const config = loadConfig();
  const server = http.createServer();
  let app: App | null = null;
  const io = attachSockets(server, (token) => (app ? userForToken(app.ctx.db, token) : Promise.resolve(null)));
  app = await createApp(config, socketPublisher(io));
  const ctx = app.ctx;
  if (app.generatedAdminPassword) {
    console.log(
      `\n  Created the admin account. Sign in as "admin" with the password: ${app.generatedAdminPassword}\n` +
        `  (shown once; set SLIPWAY_ADMIN_PASSWORD on first start to choose it)\n`,
    );
  }

  const nextApp = next({ dev: config.dev, dir: process.cwd(), httpServer: server, port: config.port });
  await nextApp.prepare();
  const handleNext = nextApp.getRequestHandler();
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: ({ req, res }) => createTrpcContext(ctx, req, res),
  });

  server.on("request", (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path.startsWith("/socket.io")) return; // socket.io answers these itself
    if (path === "/api/trpc" || path.startsWith("/api/trpc/")) return void trpc(req, res);
    if (path.startsWith("/api/s3/")) return void handleUpload(ctx, req, res, path);
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      return void res.end("ok");
    }
    void handleNext(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.port;
  console.log(`Slipway console on http://localhost:${port} (${app.database.kind === "pglite" ? `embedded database in ${config.dataDir}/pg` : "PostgreSQL"})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    io.close();
    server.close();
    await app?.close().catch((e) => console.error(e));
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error(`Slipway could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
