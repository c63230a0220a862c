"use client";

import { useState } from "react";
import { formatTime } from "@/components/lib/format";
import { eventKey, type LogSnapshot } from "@/components/lib/log-store";
import type { DeploymentTarget, LogLine } from "@/components/lib/trpc";
import { useNow } from "@/components/lib/use-now";
import { cx } from "@/components/ui/cx";
import { StatusBadge } from "@/components/ui/status-badge";
import { EventRow } from "./event-row";

const NO_LINES: LogLine[] = [];

function TargetSection({ target, logs, now }: { target: DeploymentTarget; logs: LogSnapshot; now: number }) {
  const [open, setOpen] = useState(true);
  const events = target.lifecycleEvents;
  const done = events.filter((e) => e.status === "Succeeded").length;
  return (
    <section data-testid={`target-${target.targetId}`} data-status={target.status} className="overflow-hidden rounded-lg border border-slate-200">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}
        className="flex w-full flex-wrap items-center gap-x-4 gap-y-1 bg-slate-50 px-4 py-2.5 text-left hover:bg-slate-100">
        <span aria-hidden className={cx("text-slate-500 transition-transform", open && "rotate-90")}>▸</span>
        <span className="font-semibold text-slate-900">{target.targetId}</span>
        <StatusBadge status={target.status} testId={`target-status-${target.targetId}`} />
        <span className="text-sm text-slate-600">{done} of {events.length} events succeeded</span>
        <span className="ml-auto text-xs text-slate-500">Last updated {formatTime(target.lastUpdatedAt)}</span>
      </button>
      {open && (
        <div>
          <div className="grid grid-cols-[1.25rem_minmax(10rem,1.5fr)_8rem_1fr_1fr_1fr_5rem] gap-3 border-t border-slate-200 px-4 py-1.5 text-xs font-semibold text-slate-500">
            <span /><span>Event</span><span>Status</span><span>Start time</span><span>End time</span><span>Duration</span><span className="text-right">Log</span>
          </div>
          {events.map((e) => (
            <EventRow key={e.lifecycleEventName} targetId={target.targetId} event={e} now={now}
              lines={logs.byEvent.get(eventKey(target.targetId, e.lifecycleEventName)) ?? NO_LINES} />
          ))}
          {events.length === 0 && <p className="border-t border-slate-200 px-4 py-3 text-sm text-slate-500">No lifecycle events yet.</p>}
        </div>
      )}
    </section>
  );
}

/** "Deployment lifecycle events": one section per instance, one expandable row per event. */
export function LifecycleEvents({ targets, logs }: { targets: DeploymentTarget[]; logs: LogSnapshot }) {
  const running = targets.some((t) => t.status === "InProgress" || t.lifecycleEvents.some((e) => e.status === "InProgress"));
  const now = useNow(running);
  return (
    <div className="flex flex-col gap-3" data-testid="lifecycle-events">
      {targets.map((t) => <TargetSection key={t.targetId} target={t} logs={logs} now={now} />)}
    </div>
  );
}
