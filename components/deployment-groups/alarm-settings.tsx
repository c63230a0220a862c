"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { Checkbox, Input } from "@/components/ui/input";
import { Field } from "@/components/ui/field";

export type AlarmSettingsValue = { enabled: boolean; ignorePollAlarmFailure: boolean; alarms: { name: string }[] };
export const NO_ALARMS: AlarmSettingsValue = { enabled: false, ignorePollAlarmFailure: false, alarms: [] };
/** CodeDeploy's limit (AlarmsLimitExceededException past it). */
export const MAX_ALARMS = 10;

/** "Alarms": which alarms stop a deployment of this group, and how long to keep watching after it. */
export function AlarmSettings({ value, onChange, bakeTime, onBakeTime, error, bakeError }: {
  value: AlarmSettingsValue; onChange: (v: AlarmSettingsValue) => void;
  bakeTime: string; onBakeTime: (v: string) => void; error?: string | null; bakeError?: string | null;
}) {
  const trpc = useTRPC();
  const alarms = useQuery(trpc.alarms.list.queryOptions());
  const selected = new Set(value.alarms.map((a) => a.name));
  const full = selected.size >= MAX_ALARMS;
  const toggle = (name: string, on: boolean) => {
    const names = on ? [...selected, name] : [...selected].filter((n) => n !== name);
    onChange({ ...value, enabled: names.length > 0 ? value.enabled || on : false, alarms: names.map((n) => ({ name: n })) });
  };
  return (
    <fieldset className="flex flex-col gap-3" data-testid="group-alarms">
      <legend className="mb-1 text-sm font-semibold text-slate-900">Alarms</legend>
      <p className="-mt-2 text-xs text-slate-500">
        An alarm in ALARM state while a deployment runs stops it. Define alarms on the <Link href="/alarms" className="text-blue-700 underline">Alarms</Link> page.
      </p>
      {alarms.error ? <p className="text-sm text-red-700">{readableMessage(alarms.error)}</p>
        : alarms.isPending ? <p className="text-sm text-slate-500">Loading alarms…</p>
        : alarms.data.length === 0 ? <p className="text-sm text-slate-500" data-testid="group-alarms-empty">No alarms defined yet.</p>
        : (
          <div className="flex flex-col gap-1.5">
            <p className="text-xs text-slate-500" data-testid="group-alarms-count">
              {selected.size} of at most {MAX_ALARMS} alarms selected{full ? ": untick one to choose another." : "."}
            </p>
            <div className="grid gap-x-6 gap-y-1.5 sm:grid-cols-2">
              {alarms.data.map((a) => (
                <Checkbox key={a.alarmName} label={a.alarmName} checked={selected.has(a.alarmName)} disabled={full && !selected.has(a.alarmName)}
                  onChange={(e) => toggle(a.alarmName, e.target.checked)} data-testid={`group-alarm-${a.alarmName}`} className="min-w-0 break-all has-[:disabled]:text-slate-400" />
              ))}
            </div>
          </div>
        )}
      {value.alarms.length > 0 && (
        <div className="flex flex-col gap-2 border-t border-slate-100 pt-2">
          <Checkbox label="Enable alarm monitoring" checked={value.enabled} onChange={(e) => onChange({ ...value, enabled: e.target.checked })}
            description="Off keeps the list but no alarm stops this group's deployments." data-testid="group-alarms-enabled" />
          <Checkbox label="Continue deployments even if alarm status is unavailable" checked={value.ignorePollAlarmFailure}
            description="Ignore poll alarm failure: an alarm whose check cannot run (timeout, unreachable URL) does not stop the deployment; its ALARM state still does."
            onChange={(e) => onChange({ ...value, ignorePollAlarmFailure: e.target.checked })} data-testid="group-alarms-ignore-poll-failure" />
        </div>
      )}
      {error && <p role="alert" className="text-xs font-medium text-red-700">{error}</p>}
      <Field label={<>Bake time <span className="font-normal text-slate-500">- seconds, optional</span></>} htmlFor="bake-time" error={bakeError}
        constraint="After the last instance succeeds, keep watching the alarms this long before the deployment succeeds.">
        <Input id="bake-time" type="number" min={0} max={86400} value={bakeTime} onChange={(e) => onBakeTime(e.target.value)} className="max-w-40" />
      </Field>
    </fieldset>
  );
}
