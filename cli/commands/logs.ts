import { defineCommand } from "../lib/command";
import type { Api } from "../lib/client";
import type { CliEnv } from "../lib/env";
import { CliError, EXIT, ServiceError } from "../lib/errors";
import type { Outputs } from "../lib/types";
import { DEPLOYMENT_ID } from "../lib/options";

type LogLine = Pick<Outputs["deployments"]["logs"][number], "seq" | "targetId" | "event" | "stream" | "text">;
const FINAL = ["Succeeded", "Failed", "Stopped"];
const STATUS_POLL_MS = 3000;

const format = (l: LogLine) => `${l.targetId || "-"} ${l.event || "-"} [${l.stream}] ${l.text}`;

/**
 * Prints lines strictly in seq order, each once, whether they come from the backlog (tRPC) or
 * live (socket.io): seq numbers are per deployment and gapless, so a gap means lines were
 * published before our subscription took effect, and the backlog fills it.
 */
function orderedPrinter(api: Api, deploymentId: string, print: (l: LogLine) => void) {
  let lastSeq = 0;
  const pending = new Map<number, LogLine>();
  let chain: Promise<void> = Promise.resolve();
  const drain = () => {
    for (let next = pending.get(lastSeq + 1); next; next = pending.get(lastSeq + 1)) {
      pending.delete(next.seq);
      lastSeq = next.seq;
      print(next);
    }
  };
  const add = (lines: LogLine[]) => {
    for (const l of lines) if (l.seq > lastSeq) pending.set(l.seq, l);
    drain();
  };
  /** Reads the database from lastSeq on, page by page; serialised so pages never interleave. */
  const backfill = () =>
    (chain = chain.then(async () => {
      for (;;) {
        const before = lastSeq;
        const page = await api.deployments.logs.query({ deploymentId, afterSeq: lastSeq });
        add(page);
        if (!page.length || lastSeq === before) break;
      }
    }));
  return {
    backfill,
    live(lines: LogLine[]) {
      add(lines);
      if (pending.size) void backfill().catch(() => {}); // a gap: the finishing backfill retries
    },
    /** Whatever could not be ordered (should not happen): printed rather than lost. */
    flushRest() {
      for (const l of [...pending.values()].sort((a, b) => a.seq - b.seq)) print(l);
      pending.clear();
    },
  };
}

async function follow(api: Api, env: CliEnv, deploymentId: string, print: (l: LogLine) => void): Promise<string> {
  const { io } = await import("socket.io-client");
  const printer = orderedPrinter(api, deploymentId, print);
  const token = env.token();
  // The server authenticates the Engine.IO handshake by its Authorization header (Node clients
  // can send one); auth.token is for servers that check the Socket.IO handshake instead.
  const socket = io(env.endpoint, {
    path: "/socket.io",
    extraHeaders: { authorization: `Bearer ${token}` },
    auth: { token },
    reconnectionDelayMax: 5000,
  });
  let poll: NodeJS.Timeout | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      let connected = false;
      let finishing = false;
      const finish = (status: string) => {
        if (finishing) return;
        finishing = true;
        printer
          .backfill()
          .then(() => {
            printer.flushRest();
            resolve(status);
          })
          .catch(reject);
      };
      const checkStatus = () =>
        api.deployments.get
          .query({ deploymentId })
          .then(({ deploymentInfo: d }) => {
            if (FINAL.includes(d.status)) finish(d.status);
          })
          .catch(reject);
      socket.on("connect", () => {
        connected = true;
        // Subscribe before reading the backlog, so nothing falls between the two.
        socket.emit("subscribe", { deploymentId });
        void printer.backfill().then(checkStatus, reject);
      });
      // The join is not acknowledged, so a final status published just before it took effect
      // would never reach us; a slow poll of the status covers that (and a dropped socket).
      poll = setInterval(() => void checkStatus(), STATUS_POLL_MS);
      socket.on("log", (msg: { deploymentId: string; lines: LogLine[] }) => {
        if (msg.deploymentId === deploymentId) printer.live(msg.lines);
      });
      socket.on("deployment", (msg: { deploymentId: string; status: string }) => {
        if (msg.deploymentId === deploymentId && FINAL.includes(msg.status)) finish(msg.status);
      });
      socket.on("connect_error", (err: Error) => {
        if (err.message === "unauthorized") reject(new ServiceError("UnauthorizedException", "The server refused the token for live logs; run `slipway login`."));
        else if (!connected) reject(new CliError(`Could not connect to the endpoint URL: "${env.endpoint}" (live logs: ${err.message})`, EXIT.SERVICE));
        // Once connected, socket.io reconnects by itself and "connect" reads what was missed.
      });
    });
  } finally {
    clearInterval(poll);
    socket.disconnect();
  }
}

export const logs = defineCommand({
  name: "logs",
  operation: "GetDeploymentLogs",
  summary: "Print a deployment's log lines: <target> <lifecycle event> [<stream>] <text>.",
  options: {
    "deployment-id": DEPLOYMENT_ID,
    follow: { type: "boolean", description: "Keep printing new lines until the deployment ends." },
  },
  async run(o, env) {
    const deploymentId = o["deployment-id"]!;
    const api = await env.api();
    const print = (l: LogLine) => env.out(format(l));
    // Also checks the id, so a wrong one fails with DeploymentDoesNotExistException.
    const { deploymentInfo } = await api.deployments.get.query({ deploymentId });
    if (!o.follow || FINAL.includes(deploymentInfo.status)) {
      const printer = orderedPrinter(api, deploymentId, print);
      await printer.backfill();
      printer.flushRest();
      // Following a deployment that has already ended still says how it ended.
      if (o.follow) env.err(`Deployment ${deploymentId} ${deploymentInfo.status}.`);
      return;
    }
    const status = await follow(api, env, deploymentId, print);
    env.err(`Deployment ${deploymentId} ${status}.`);
  },
});
