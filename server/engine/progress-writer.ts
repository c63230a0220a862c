import { logLines } from "../../drizzle/schema";
import type { Db, Tx } from "../db/client";
import type { LogLineMessage, Publisher } from "../realtime/publisher";
import { writeChanges, type Change } from "./state";

/** How long progress gathers before it is written: one transaction for what a host did meanwhile. */
const FLUSH_MS = 30;
const MAX_BATCH = 500;

/**
 * Write-behind for a deployment's progress: its log lines and its hosts' and events' status
 * changes, stored in the order they happen while the SSH work goes on without waiting for the
 * database. What piles up within FLUSH_MS (or during one write) goes into one transaction of a few
 * statements, the lines logged so far first, then the status changes (so a page never shows an event done
 * without the output that led to it). Each batch is announced only after it committed, so a page
 * that subscribes first and then loads the backlog sees every line exactly once (it drops seq
 * numbers it already has). `drain()` is awaited before the deployment's verdict is written, so
 * nothing is claimed as complete before everything before it is stored.
 */
export function createProgressWriter(db: Db, publisher: Publisher, deploymentId: string) {
  // A deployment runs once, in one process, so its lines are numbered from 1 here.
  let seq = 0;
  let lines: LogLineMessage[] = [];
  let changes: Change[] = [];
  let timer: NodeJS.Timeout | null = null;
  let pumping: Promise<void> | null = null;
  let failure: unknown = null;

  const insertLines = async (tx: Tx | Db, batch: LogLineMessage[]) => {
    for (let i = 0; i < batch.length; i += MAX_BATCH)
      await tx.insert(logLines).values(
        batch.slice(i, i + MAX_BATCH).map((l) => ({
          deploymentId,
          seq: l.seq,
          hostId: l.hostId,
          event: l.event,
          stream: l.stream,
          text: l.text,
          at: new Date(l.at),
        })),
      );
  };

  async function pump() {
    // Writes pushed in the same tick as the first go into the same batch.
    await Promise.resolve();
    while (lines.length || changes.length) {
      if (timer) clearTimeout(timer);
      timer = null;
      const batchLines = lines;
      const batch = changes;
      lines = [];
      changes = [];
      if (failure) continue;
      try {
        if (!batch.length) await insertLines(db, batchLines);
        else
          await db.transaction(async (tx) => {
            await insertLines(tx, batchLines);
            await writeChanges(tx, deploymentId, batch);
          });
      } catch (err) {
        failure = err;
        continue;
      }
      if (batchLines.length) publisher.logs(deploymentId, batchLines);
      for (const c of batch) c.publish();
    }
    pumping = null;
  }
  const schedule = () => {
    pumping ??= pump();
  };

  return {
    line(line: Omit<LogLineMessage, "seq" | "at">) {
      lines.push({ ...line, seq: ++seq, at: Date.now() });
      if (lines.length >= MAX_BATCH) schedule();
      else timer ??= setTimeout(schedule, FLUSH_MS);
    },
    change(change: Change) {
      changes.push(change);
      timer ??= setTimeout(schedule, FLUSH_MS);
    },
    /** Everything pushed so far is stored (or the first failure is thrown). */
    async drain() {
      if (timer || lines.length) schedule();
      while (pumping) await pumping;
      if (failure) throw failure;
    },
  };
}
export type ProgressWriter = ReturnType<typeof createProgressWriter>;
