import crypto from "node:crypto";
import { connectHost, type HostAccess, type HostConnection } from "./connection";

export type ConnectionPool = {
  /** An idle connection to the same host, user, key and pinned fingerprint, or a new one. */
  acquire(access: HostAccess): Promise<HostConnection>;
  /** Back to the pool for `idleMs`; a connection that failed is closed instead. */
  release(conn: HostConnection, healthy: boolean): void;
  /** The hosts an idle connection is kept to (a benchmark closes them to measure a cold start). */
  idle(): { address: string; port: number }[];
  closeAll(): void;
};

const IDLE_MS = 30_000;

/**
 * Keeps a host's SSH connection open for a short while after its deployment, so the rollback
 * that follows a failure (or the next deployment) skips the handshake. The key includes the
 * pinned fingerprint: trusting a new host key always makes a new, verified connection.
 */
export function createConnectionPool(idleMs = IDLE_MS): ConnectionPool {
  type Idle = { conn: HostConnection; timer: NodeJS.Timeout; address: string; port: number };
  const idle = new Map<string, Idle[]>();
  const keys = new WeakMap<HostConnection, { key: string; address: string; port: number }>();
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
      keys.set(conn, { key, address: access.address, port: access.port });
      return conn;
    },
    release(conn, healthy) {
      const where = keys.get(conn);
      if (!healthy || !where || !conn.alive()) return conn.close();
      const { key } = where;
      const timer = setTimeout(() => {
        const list = idle.get(key);
        const at = list?.findIndex((e) => e.conn === conn) ?? -1;
        if (at >= 0) list!.splice(at, 1);
        conn.close();
      }, idleMs);
      timer.unref();
      const list = idle.get(key) ?? [];
      list.push({ conn, timer, address: where.address, port: where.port });
      idle.set(key, list);
    },
    idle: () => [...idle.values()].flat().filter((e) => e.conn.alive()).map(({ address, port }) => ({ address, port })),
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
