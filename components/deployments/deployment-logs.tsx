"use client";

import { useMemo, useState } from "react";
import { plural } from "@/components/lib/format";
import type { LogSnapshot } from "@/components/lib/log-store";
import { Select } from "@/components/ui/input";
import { LogView } from "./log-view";

/** Every line of the deployment in order, optionally for one host. */
export function DeploymentLogs({ logs, targetIds }: { logs: LogSnapshot; targetIds: string[] }) {
  const [host, setHost] = useState("");
  const [stream, setStream] = useState("");
  const lines = useMemo(
    () => (host || stream ? logs.all.filter((l) => (!host || l.targetId === host) && (!stream || l.stream === stream)) : logs.all),
    [logs.all, host, stream],
  );
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <label className="flex items-center gap-2">
          <span className="font-semibold text-slate-700">Instance</span>
          <Select value={host} onChange={(e) => setHost(e.target.value)} className="w-56" data-testid="log-host-filter">
            <option value="">All instances</option>
            {targetIds.map((t) => <option key={t} value={t}>{t}</option>)}
          </Select>
        </label>
        <label className="flex items-center gap-2">
          <span className="font-semibold text-slate-700">Stream</span>
          <Select value={stream} onChange={(e) => setStream(e.target.value)} className="w-40" data-testid="log-stream-filter">
            <option value="">All</option>
            <option value="stdout">stdout</option>
            <option value="stderr">stderr</option>
            <option value="system">system</option>
          </Select>
        </label>
        <span className="text-slate-500">{plural(lines.length, "line")}</span>
      </div>
      <LogView lines={lines} showSource testId="deployment-log-view" className="[&>div]:max-h-[32rem]" emptyText="No log output yet." />
    </div>
  );
}
