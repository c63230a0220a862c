"use client";

import { useQuery } from "@tanstack/react-query";
import { readableMessage } from "@/components/lib/errors";
import { formatTime, plural } from "@/components/lib/format";
import { useTRPC } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { KeyValueGrid } from "@/components/ui/key-value";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableMessage, TD, TH, THead, TR } from "@/components/ui/table";
import type { Alarm } from "./alarm-state-badge";
import { TestAlarm } from "./test-alarm";

const RESULTS_SHOWN = 50;

/** The expanded row: settings, recent results (refreshed while open) and "Test alarm". */
export function AlarmDetails({ alarm }: { alarm: Alarm }) {
  const trpc = useTRPC();
  const results = useQuery(trpc.alarms.results.queryOptions({ name: alarm.alarmName, limit: RESULTS_SHOWN }, { refetchInterval: 3000 }));
  const details = useQuery(trpc.alarms.get.queryOptions({ name: alarm.alarmName }, { refetchInterval: 10_000 }));
  return (
    <div id="alarm-details" data-testid={`alarm-details-${alarm.alarmName}`} className="flex flex-col gap-4">
      <KeyValueGrid columns={4} items={[
        { label: "Timeout", value: plural(alarm.timeoutSeconds, "second") },
        { label: "Consecutive failures now", value: String(alarm.consecutiveFailures) },
        { label: "State since", value: formatTime(alarm.stateUpdatedAt) },
        { label: "Listed by deployment groups", value: details.data ? (details.data.deploymentGroups.join(", ") || "None") : "…" },
      ]} />
      <TestAlarm alarmName={alarm.alarmName} />
      <div>
        <h3 className="mb-2 text-sm font-bold text-slate-900">Recent results</h3>
        <div className="rounded-md border border-slate-200 bg-white">
          <Table>
            <THead>
              <tr><TH>Time</TH><TH>Result</TH><TH>Target</TH><TH>Message</TH><TH>Deployment</TH></tr>
            </THead>
            <tbody data-testid={`alarm-results-${alarm.alarmName}`}>
              {results.isPending ? (
                <TableMessage colSpan={5}><Spinner label="Loading results…" /></TableMessage>
              ) : results.error ? (
                <TableMessage colSpan={5}><Alert type="error">{readableMessage(results.error)}</Alert></TableMessage>
              ) : results.data.length === 0 ? (
                <TableMessage colSpan={5}>Not evaluated yet. Results appear while a deployment watches this alarm, or when you test it.</TableMessage>
              ) : (
                results.data.map((r) => (
                  <TR key={r.id} data-testid="alarm-result" data-ok={r.ok}>
                    <TD className="whitespace-nowrap text-slate-600">{formatTime(r.at)}</TD>
                    <TD>{r.ok ? <Badge tone="green">OK</Badge> : <Badge tone="red">Failed</Badge>}</TD>
                    <TD className="whitespace-nowrap">{r.target ?? "-"}</TD>
                    <TD><p className="max-w-xl font-mono text-xs break-words whitespace-pre-wrap">{r.message}</p></TD>
                    <TD className="whitespace-nowrap font-mono text-xs">{r.deploymentId ?? "-"}</TD>
                  </TR>
                ))
              )}
            </tbody>
          </Table>
        </div>
      </div>
    </div>
  );
}
