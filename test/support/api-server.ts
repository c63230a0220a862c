// The Slipway API without Next: what server/main.ts serves minus the pages, on a free port, for
// tests that drive the API over HTTP (the CLI's integration test) without a `next build`.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { appRouter } from "../../server/api/root";
import { createTrpcContext } from "../../server/api/trpc";
import { createApp, type App } from "../../server/app";
import { handleUpload } from "../../server/http/upload";
import { socketPublisher } from "../../server/realtime/publisher";
import { attachSockets } from "../../server/realtime/sockets";
import { userForToken } from "../../server/services/auth";

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
  const server = http.createServer();
  let app: App | null = null;
  const io = attachSockets(server, (token) => (app ? userForToken(app.ctx.db, token) : Promise.resolve(null)));
  app = await createApp({ dataDir, databaseUrl: undefined, adminPassword, secretKey: undefined }, socketPublisher(io));
  const ctx = app.ctx;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/api/trpc/",
    createContext: ({ req, res }) => createTrpcContext(ctx, req, res),
  });
  server.on("request", (req, res) => {
    const p = (req.url ?? "/").split("?")[0];
    if (p.startsWith("/socket.io")) return;
    if (p === "/api/trpc" || p.startsWith("/api/trpc/")) return void trpc(req, res);
    if (p.startsWith("/api/s3/")) return void handleUpload(ctx, req, res, p);
    if (p === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      return void res.end("ok");
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found (test API server: no pages)");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const started = app;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    adminPassword,
    app: started,
    async stop() {
      // io.close() disconnects the sockets and closes the HTTP server; idle keep-alive
      // connections would hold that close open, so end them too.
      const closed = new Promise<void>((resolve) => void io.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await started.close();
      if (ownDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
