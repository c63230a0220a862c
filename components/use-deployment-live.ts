"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { errorCode } from "./lib/errors";
import { EMPTY_SNAPSHOT, LogStore, type LogSnapshot } from "./lib/log-store";
import { useTRPC, useTRPCClient, type LogLine } from "./lib/trpc";

export type LiveConnection = "connecting" | "live" | "offline";

const POLL_MS = 4_000;
const SUBSCRIBE_ACK_MS = 800;
const LOG_PAGE = 20_000;

/**
 * Live view of one deployment (mount it keyed by deploymentId: the log starts empty): its log (backlog + socket stream, merged by seq) and fresh
 * deployment/targets queries whenever the server announces a change.
 * Order matters: subscribe first, buffer, then fetch the backlog, so no line falls in between.
 */
export function useDeploymentLive(deploymentId: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [logs, setLogs] = useState<LogSnapshot>(EMPTY_SNAPSHOT);
  const [connection, setConnection] = useState<LiveConnection>("connecting");
  const [logError, setLogError] = useState<string | null>(null);

  useEffect(() => {
    let disposed = false;
    let frame: number | null = null;
    let latest: LogSnapshot = EMPTY_SNAPSHOT;
    // Batch renders to one per animation frame: a chatty script can send hundreds of lines a second.
    const store = new LogStore((snapshot) => {
      latest = snapshot;
      if (frame === null) frame = requestAnimationFrame(() => { frame = null; if (!disposed) setLogs(latest); });
    });

    let refreshTimer: ReturnType<typeof setTimeout> | null = null;
    const refresh = () => {
      if (refreshTimer) return;
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey({ deploymentId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.targets.queryKey({ deploymentId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.timeline.queryKey({ deploymentId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey() });
      }, 150);
    };

    let syncRun = 0;
    let gone = false;
    const sync = async () => {
      const run = ++syncRun;
      store.beginSync();
      for (let attempt = 0; !disposed && run === syncRun; attempt++) {
        try {
          // The server pages the backlog (at most LOG_PAGE lines a call): keep reading until it runs dry.
          const fetched: LogLine[] = [];
          let after = store.highestSeq;
          for (;;) {
            const page = await client.deployments.logs.query({ deploymentId, ...(after >= 0 ? { afterSeq: after } : {}) });
            fetched.push(...page);
            if (page.length < LOG_PAGE || disposed || run !== syncRun) break;
            after = page[page.length - 1].seq;
          }
          if (disposed || run !== syncRun) return;
          store.completeSync(fetched);
          setLogError(null);
          return;
        } catch (error) {
          if (disposed || run !== syncRun) return;
          setLogError(error instanceof Error ? error.message : "Could not load the log.");
          // No such deployment (or a malformed id): retrying cannot help.
          const code = errorCode(error);
          if (code === "NOT_FOUND" || code === "BAD_REQUEST") { gone = true; return; }
          await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** attempt, 10_000)));
        }
      }
    };

    const socket = io({ path: "/socket.io", withCredentials: true });
    socket.on("connect", async () => {
      setConnection("live");
      // Buffer from before the subscription, and drop any fetch already in flight: a line that
      // arrives live before the fetch below must not move highestSeq past lines published
      // before we joined the room, or the fetch (after highestSeq) would skip them for good.
      syncRun++;
      store.beginSync();
      try {
        await socket.timeout(SUBSCRIBE_ACK_MS).emitWithAck("subscribe", { deploymentId });
      } catch {
        // The server may not acknowledge; the subscription is still on its way before the fetch.
      }
      if (disposed) return;
      refresh();
      await sync();
    });
    socket.on("disconnect", () => setConnection("offline"));
    socket.on("connect_error", () => setConnection("offline"));
    socket.on("log", (payload: { deploymentId: string; lines: LogLine[] }) => {
      if (payload?.deploymentId === deploymentId && Array.isArray(payload.lines)) store.receive(payload.lines);
    });
    const onChange = (payload: { deploymentId?: string }) => {
      if (payload?.deploymentId === deploymentId) refresh();
    };
    socket.on("deployment", onChange);
    socket.on("target", onChange);
    socket.on("lifecycle", onChange);

    // Without a socket (proxy, server restart) keep the page moving by polling for new lines.
    void sync();
    const poll = setInterval(() => {
      if (!socket.connected && !gone) {
        void sync();
        refresh();
      }
    }, POLL_MS);

    return () => {
      disposed = true;
      clearInterval(poll);
      if (refreshTimer) clearTimeout(refreshTimer);
      if (frame !== null) cancelAnimationFrame(frame);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [deploymentId, client, queryClient, trpc]);

  return { logs, connection, logError };
}
