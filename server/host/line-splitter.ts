/**
 * Splits a byte stream into lines. A partial line waits for the next chunk; very long lines are
 * cut so one runaway write cannot grow memory without bound. UTF-8 sequences split across chunks
 * are kept whole by decoding only complete lines.
 */
export function createLineSplitter(onLine: (line: string) => void, maxLine = 16 * 1024) {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk: Buffer) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const nl = pending.indexOf(10, start);
        if (nl === -1) break;
        const end = nl > start && pending[nl - 1] === 13 ? nl - 1 : nl;
        onLine(pending.subarray(start, end).toString("utf8"));
        start = nl + 1;
      }
      pending = pending.subarray(start);
      while (pending.length > maxLine) {
        onLine(pending.subarray(0, maxLine).toString("utf8"));
        pending = pending.subarray(maxLine);
      }
    },
    /** Emits what is left (a last line without a newline). */
    flush() {
      if (pending.length) onLine(pending.toString("utf8"));
      pending = Buffer.alloc(0);
    },
  };
}

/** The last whole lines of a log, at most about `maxBytes` (CodeDeploy's logTail is ~2 KB). */
export function logTail(lines: readonly string[], maxBytes = 2048): string {
  const out: string[] = [];
  let size = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const len = Buffer.byteLength(lines[i]) + 1;
    if (size + len > maxBytes && out.length) break;
    out.unshift(lines[i]);
    size += len;
  }
  return out.join("\n");
}
