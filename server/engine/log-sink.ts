import { logLines } from "../../drizzle/schema";
import type { Db } from "../db/client";
import type { LogLineMessage, Publisher } from "../realtime/publisher";

const FLUSH_MS = 40;
const MAX_BATCH = 500;

/**
 * Numbers a deployment's log lines and stores them in small batches. Lines are published only
 * after they are written, so a page that subscribes first and then loads the backlog from the
 * database sees every line exactly once (it drops seq numbers it already has).
 */
export function createLogSink(db: Db, publisher: Publisher, deploymentId: string) {
  // A deployment runs once, in one process, so its lines are numbered from 1 here.
  let seq = 0;
  let buffer: LogLineMessage[] = [];
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!buffer.length) return chain;
    const batch = buffer;
    buffer = [];
    chain = chain.then(async () => {
      for (let i = 0; i < batch.length; i += MAX_BATCH) {
        const part = batch.slice(i, i + MAX_BATCH);
        await db.insert(logLines).values(
          part.map((l) => ({
            deploymentId,
            seq: l.seq,
            hostId: l.hostId,
            event: l.event,
            stream: l.stream,
            text: l.text,
            at: new Date(l.at),
          })),
        );
      }
      publisher.logs(deploymentId, batch);
    });
    return chain;
  };

  return {
    append(line: Omit<LogLineMessage, "seq" | "at">) {
      buffer.push({ ...line, seq: ++seq, at: Date.now() });
      if (buffer.length >= MAX_BATCH) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), FLUSH_MS);
    },
    flush,
  };
}
export type LogSink = ReturnType<typeof createLogSink>;
