import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { SessionUser } from "../services/auth";
import { tokenFromHeaders } from "../services/auth";
import { DEPLOYMENT_ID_PATTERN } from "../lib/ids";
import { deploymentRoom } from "./publisher";

/** socket.io on the same port; the handshake is authenticated like every tRPC call. */
export function attachSockets(httpServer: HttpServer, authenticate: (token: string | null) => Promise<SessionUser | null>): Server {
  const io = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // Refuse at the Engine.IO handshake already, so an anonymous client gets no session at all.
    allowRequest: (req, callback) => {
      const token = tokenFromHeaders({ authorization: req.headers.authorization, cookie: req.headers.cookie });
      authenticate(token)
        .then((user) => callback(user ? null : "unauthorized", Boolean(user)))
        .catch(() => callback("unauthorized", false));
    },
  });
  io.on("connection", (socket) => {
    // The acknowledgement tells the client it is in the room, so it can load the backlog now:
    // every line published from here on reaches it live.
    socket.on("subscribe", async (msg: { deploymentId?: unknown }, ack?: (r: { ok: boolean }) => void) => {
      const ok = typeof msg?.deploymentId === "string" && DEPLOYMENT_ID_PATTERN.test(msg.deploymentId);
      if (ok) await socket.join(deploymentRoom(msg.deploymentId as string));
      if (typeof ack === "function") ack({ ok });
    });
    socket.on("unsubscribe", (msg: { deploymentId?: unknown }) => {
      if (typeof msg?.deploymentId === "string") void socket.leave(deploymentRoom(msg.deploymentId));
    });
  });
  return io;
}
