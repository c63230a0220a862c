import type { LogLine } from "./trpc";

export type LogSnapshot = {
  /** Every line, in seq order. */
  all: LogLine[];
  /** Lines per `${targetId}\n${event}`; an array is replaced only when it gains lines. */
  byEvent: Map<string, LogLine[]>;
  highestSeq: number;
};

export const eventKey = (targetId: string, event: string) => `${targetId}\n${event}`;

export const EMPTY_SNAPSHOT: LogSnapshot = { all: [], byEvent: new Map(), highestSeq: -1 };

/**
 * Merges a deployment's log from two sources without losing or repeating a line: live socket
 * lines are buffered while a backlog (or gap) fetch is in flight, then the fetched lines and the
 * buffer are merged and everything at or below the highest seq already seen is ignored.
 */
export class LogStore {
  private snapshot: LogSnapshot = EMPTY_SNAPSHOT;
  private buffer: LogLine[] = [];
  private syncing = true;

  constructor(private readonly onChange: (snapshot: LogSnapshot) => void) {}

  get highestSeq() {
    return this.snapshot.highestSeq;
  }

  /** A (re)connect: hold live lines until the fetch of everything after highestSeq returns. */
  beginSync() {
    this.syncing = true;
  }

  completeSync(fetched: LogLine[]) {
    const pending = this.buffer;
    this.buffer = [];
    this.syncing = false;
    this.add([...fetched, ...pending]);
  }

  receive(lines: LogLine[]) {
    if (this.syncing) this.buffer.push(...lines);
    else this.add(lines);
  }

  private add(lines: LogLine[]) {
    if (lines.length === 0) return;
    const sorted = [...lines].sort((a, b) => a.seq - b.seq);
    let highest = this.snapshot.highestSeq;
    const fresh: LogLine[] = [];
    for (const line of sorted) {
      if (line.seq <= highest) continue;
      highest = line.seq;
      fresh.push(line);
    }
    if (fresh.length === 0) return;
    const byEvent = new Map(this.snapshot.byEvent);
    for (const line of fresh) {
      const key = eventKey(line.targetId, line.event);
      const current = byEvent.get(key);
      // Copy each touched array once per batch so React sees a new reference.
      if (current && current === this.snapshot.byEvent.get(key)) byEvent.set(key, [...current, line]);
      else if (current) current.push(line);
      else byEvent.set(key, [line]);
    }
    this.snapshot = { all: [...this.snapshot.all, ...fresh], byEvent, highestSeq: highest };
    this.onChange(this.snapshot);
  }
}
