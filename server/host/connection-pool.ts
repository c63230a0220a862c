import crypto from "node:crypto";
import { connectHost, type HostAccess, type HostConnection } from "./connection";

export type ConnectionPool = {
  /** An idle connection to the same host, user, key and pinned fingerprint, or a new one. */
  acquire(access: HostAccess): Promise<HostConnection>;
  /** Back to the pool for `idleMs`; a connection that failed is closed instead. */
  release(conn: HostConnection, healthy: boolean): void;
  closeAll(): void;
};

const IDLE_MS = 30_000;

/**
 * Keeps a host's SSH connection open for a short while after its deployment, so the rollback
 * that follows a failure (or the next deployment) skips the handshake. The key includes the
 * pinned fingerprint: trusting a new host key always makes a new, verified connection.
 */
export function createConnectionPool(idleMs = IDLE_MS): ConnectionPool {
  const idle = new Map<string, { conn: HostConnection; timer: NodeJS.Timeout }[]>();
  const keys = new WeakMap<HostConnection, string>();
  const keyOf = (a: HostAccess) =>
    crypto
      .createHash("sha256")
      .update([a.address, a.port, a.username, a.fingerprint ?? "", a.privateKey].join("\0"))
      .digest("hex");

  return {
    async acquire(access) {
      const key = keyOf(access);
      const list = idle.get(key);
      while (list?.length) {
        const entry = list.pop()!;
        clearTimeout(entry.timer);
        if (entry.conn.alive()) return entry.conn;
        entry.conn.close();
      }
      const conn = await connectHost(access);
      keys.set(conn, key);
      return conn;
    },
    release(conn, healthy) {
      const key = keys.get(conn);
      if (!healthy || !key || !conn.alive()) return conn.close();
      const timer = setTimeout(() => {
        const list = idle.get(key);
        const at = list?.findIndex((e) => e.conn === conn) ?? -1;
        if (at >= 0) list!.splice(at, 1);
        conn.close();
      }, idleMs);
      timer.unref();
      const list = idle.get(key) ?? [];
      list.push({ conn, timer });
      idle.set(key, list);
    },
    closeAll() {
      for (const list of idle.values())
        for (const { conn, timer } of list) {
          clearTimeout(timer);
          conn.close();
        }
      idle.clear();
    },
  };
}
