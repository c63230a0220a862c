import http from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import next from "next";
import { appRouter } from "./api/root";
import { createTrpcContext } from "./api/trpc";
import { createApp, type App } from "./app";
import type { Config } from "./config";
import { handleUpload } from "./http/upload";
import { socketPublisher } from "./realtime/publisher";
import { attachSockets } from "./realtime/sockets";
import { userForToken } from "./services/auth";

export type RunningServer = { app: App; port: number; close(): Promise<void> };

/**
 * One process, one port: the database and engine, tRPC at /api/trpc, socket.io at /socket.io,
 * bucket uploads at /api/s3/, and Next for every other path (design.md, "One process, one port").
 * `withNext: false` serves the API alone (tests of the API and the CLI).
 */
export async function startServer(config: Config, opts: { withNext?: boolean } = {}): Promise<RunningServer> {
  const server = http.createServer();
  let app: App | null = null;
  const io = attachSockets(server, (token) => (app ? userForToken(app.ctx.db, token) : Promise.resolve(null)));
  app = await createApp(config, socketPublisher(io));
  const ctx = app.ctx;

  let handleNext: ((req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) | null = null;
  if (opts.withNext !== false) {
    const nextApp = next({ dev: config.dev, dir: process.cwd(), httpServer: server, port: config.port });
    await nextApp.prepare();
    handleNext = nextApp.getRequestHandler();
  }
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: ({ req, res }) => createTrpcContext(ctx, req, res),
  });

  server.on("request", (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path.startsWith("/socket.io/")) return; // socket.io answers these itself
    if (path === "/api/trpc" || path.startsWith("/api/trpc/")) return void trpc(req, res);
    if (path.startsWith("/api/s3/")) return void handleUpload(ctx, req, res, path);
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      return void res.end("ok");
    }
    if (handleNext) return void handleNext(req, res);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : config.port;
  const running = app;
  return {
    app: running,
    port,
    async close() {
      // io.close() also closes the HTTP server; idle keep-alive connections would hold it open.
      const closed = new Promise<void>((resolve) => void io.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await running.close();
    },
  };
}
