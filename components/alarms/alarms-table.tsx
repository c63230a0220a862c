"use client";

import { formatClock, formatTime, plural, toMillis, type TimeValue } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { AlarmStateBadge, alarmTarget, type Alarm } from "./alarm-state-badge";

/** Today's times as a clock, older ones in full. */
function shortTime(value: TimeValue): string {
  const ms = toMillis(value);
  if (ms === null) return "-";
  return new Date(ms).toDateString() === new Date().toDateString() ? formatClock(value) : formatTime(value);
}

/** The alarms list; a name opens the alarm's details (shown below the list by the page). */
export function AlarmsTable({ alarms, selected, onSelect, onEdit, onRemove }: {
  alarms: Alarm[]; selected: string | null; onSelect: (name: string) => void; onEdit: (a: Alarm) => void; onRemove: (a: Alarm) => void;
}) {
  return (
    <Table>
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Check</TH>
          <TH>Interval</TH>
          <TH>Threshold</TH>
          <TH>State</TH>
          <TH>Last evaluated</TH>
          <TH className="text-right">Actions</TH>
        </tr>
      </THead>
      <tbody>
        {alarms.map((a) => {
          const open = selected === a.alarmName;
          return (
            <TR key={a.alarmName} data-testid={`alarm-row-${a.alarmName}`} data-state={a.state} data-selected={open || undefined} className={open ? "bg-blue-50/60" : undefined}>
              <TD className="whitespace-nowrap">
                <button type="button" onClick={() => onSelect(a.alarmName)} aria-expanded={open} aria-controls="alarm-details"
                  data-testid={`alarm-toggle-${a.alarmName}`} className="font-semibold text-blue-700 hover:underline">
                  {a.alarmName}
                </button>
              </TD>
              <TD>
                <span className="text-xs font-semibold text-slate-600">{a.type === "http" ? "HTTP check" : "Command on each host"}</span>
                <code title={alarmTarget(a)} className="block max-w-60 truncate font-mono text-xs text-slate-700">{alarmTarget(a)}</code>
              </TD>
              <TD className="whitespace-nowrap">{plural(a.intervalSeconds, "second")}</TD>
              <TD className="min-w-32">{plural(a.failuresToAlarm, "consecutive failure")}</TD>
              <TD>
                <AlarmStateBadge state={a.state} testId={`alarm-state-${a.alarmName}`} />
                {a.stateReason && (
                  <p title={a.stateReason} data-testid={`alarm-reason-${a.alarmName}`}
                    className={`mt-1 line-clamp-2 max-w-56 text-xs break-words ${a.state === "ALARM" ? "text-red-700" : "text-slate-500"}`}>
                    {a.stateReason}
                  </p>
                )}
              </TD>
              <TD className="whitespace-nowrap text-slate-600" title={formatTime(a.lastEvaluatedAt)}>{shortTime(a.lastEvaluatedAt)}</TD>
              <TD className="text-right whitespace-nowrap">
                <div className="flex justify-end gap-1">
                  <Button size="sm" onClick={() => onEdit(a)} data-testid={`edit-alarm-${a.alarmName}`}>Edit</Button>
                  <Button size="sm" onClick={() => onRemove(a)} data-testid={`delete-alarm-${a.alarmName}`}>Delete</Button>
                </div>
              </TD>
            </TR>
          );
        })}
      </tbody>
    </Table>
  );
}
