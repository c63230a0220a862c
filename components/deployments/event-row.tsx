"use client";

import { useState } from "react";
import { formatClock, formatDuration, plural } from "@/components/lib/format";
import type { LifecycleEvent, LogLine } from "@/components/lib/trpc";
import { cx } from "@/components/ui/cx";
import { StatusBadge } from "@/components/ui/status-badge";
import { Diagnostics } from "./diagnostics";
import { LogView } from "./log-view";

/** One lifecycle event of one host: status, times, and (expanded) its full log and diagnostics. */
export function EventRow({ targetId, event, lines, now }: { targetId: string; event: LifecycleEvent; lines: LogLine[]; now: number }) {
  const [toggled, setToggled] = useState<boolean | null>(null);
  const status = event.status;
  // Running and failed events open by themselves; the operator's click wins afterwards.
  const expanded = toggled ?? (status === "InProgress" || status === "Failed");
  const name = event.lifecycleEventName;
  const showDiagnostics = event.diagnostics && (status === "Failed" || event.diagnostics.errorCode !== "Success");
  const panelId = `event-panel-${targetId}-${name}`;

  return (
    <div data-testid={`event-${targetId}-${name}`} data-status={status} data-expanded={expanded}
      className={cx("border-t border-slate-200", status === "Failed" && "bg-red-50/40")}>
      <button type="button" aria-expanded={expanded} aria-controls={panelId} onClick={() => setToggled(!expanded)}
        className="grid w-full grid-cols-[1.25rem_minmax(10rem,1.5fr)_8rem_1fr_1fr_1fr_5rem] items-center gap-3 px-4 py-2 text-left text-sm hover:bg-slate-50">
        <span aria-hidden className={cx("text-slate-500 transition-transform", expanded && "rotate-90")}>▸</span>
        <span className="font-medium text-slate-900">{name}</span>
        <span><StatusBadge status={status} /></span>
        <span className="text-slate-600">{formatClock(event.startTime) || "-"}</span>
        <span className="text-slate-600">{formatClock(event.endTime) || "-"}</span>
        <span className="text-slate-600">{formatDuration(event.startTime, event.endTime, status === "InProgress" ? now : undefined)}</span>
        <span className="text-right text-xs text-slate-500">{lines.length > 0 ? plural(lines.length, "line") : ""}</span>
      </button>
      {expanded && (
        <div id={panelId} className="flex flex-col gap-3 px-4 pb-4 pl-12" data-testid={`event-log-${targetId}-${name}`}>
          {showDiagnostics && event.diagnostics && <Diagnostics diagnostics={event.diagnostics} />}
          <LogView lines={lines}
            emptyText={status === "Pending" ? "This event has not started." : status === "Skipped" ? "Skipped." : status === "InProgress" ? "Waiting for output…" : "No output."} />
        </div>
      )}
    </div>
  );
}
