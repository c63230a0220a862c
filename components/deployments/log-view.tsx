"use client";

import { useLayoutEffect, useRef, useState } from "react";
import { formatLogClock } from "@/components/lib/format";
import type { LogLine } from "@/components/lib/trpc";
import { cx } from "@/components/ui/cx";

const STREAM_CLASS: Record<string, string> = {
  stdout: "text-slate-100",
  stderr: "text-red-300",
  system: "text-slate-400 italic",
};

/**
 * A terminal-like log. It follows new lines while the reader is at the bottom and stops
 * following as soon as they scroll up (a "Jump to latest" button brings them back).
 */
export function LogView({ lines, emptyText = "No output.", showSource, className, testId }: {
  lines: LogLine[]; emptyText?: string; showSource?: boolean; className?: string; testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [behind, setBehind] = useState(false);

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    follow.current = atBottom;
    setBehind(!atBottom);
  };
  const jump = () => {
    const el = ref.current;
    if (!el) return;
    follow.current = true;
    el.scrollTop = el.scrollHeight;
    setBehind(false);
  };

  return (
    <div className={cx("relative", className)}>
      <div ref={ref} onScroll={onScroll} data-testid={testId} role="log" aria-live="off"
        className="max-h-96 overflow-auto rounded-md bg-slate-950 px-3 py-2 font-mono text-xs leading-5">
        {lines.length === 0 ? (
          <p className="text-slate-500 italic">{emptyText}</p>
        ) : (
          lines.map((l) => (
            <div key={l.seq} className="flex gap-3">
              <span aria-hidden className="shrink-0 text-slate-600 select-none">{formatLogClock(l.at)}</span>
              {showSource && <span className="w-44 shrink-0 truncate text-sky-400/80 select-none" title={`${l.targetId} ${l.event}`}>{l.targetId} {l.event}</span>}
              <span data-testid="log-line" data-stream={l.stream} data-seq={l.seq}
                className={cx("min-w-0 break-all whitespace-pre-wrap", STREAM_CLASS[l.stream] ?? STREAM_CLASS.stdout)}>{l.text}</span>
            </div>
          ))
        )}
      </div>
      {behind && lines.length > 0 && (
        <button type="button" onClick={jump}
          className="absolute right-4 bottom-3 rounded-full bg-blue-600 px-3 py-1 text-xs font-semibold text-white shadow hover:bg-blue-700">
          Jump to latest ↓
        </button>
      )}
    </div>
  );
}
