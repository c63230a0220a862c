"use client";

import { Checkbox } from "@/components/ui/input";

export type RollbackEvent = "DEPLOYMENT_FAILURE" | "DEPLOYMENT_STOP_ON_ALARM" | "DEPLOYMENT_STOP_ON_REQUEST";
export type AutoRollback = { enabled: boolean; events: RollbackEvent[] };

export const NO_ROLLBACK: AutoRollback = { enabled: false, events: [] };

/**
 * The console's "Rollbacks" section. "Enabled with no events" is an error in CodeDeploy, so
 * unticking the last event disables rollbacks rather than sending that.
 */
export function RollbackSettings({ value, onChange, idPrefix }: { value: AutoRollback; onChange: (v: AutoRollback) => void; idPrefix: string }) {
  const has = (e: RollbackEvent) => value.enabled && value.events.includes(e);
  const toggle = (e: RollbackEvent, on: boolean) => {
    const base = value.enabled ? value.events : [];
    const events = on ? [...new Set([...base, e])] : base.filter((x) => x !== e);
    onChange({ enabled: events.length > 0, events });
  };
  return (
    <fieldset className="flex flex-col gap-2" data-testid={`${idPrefix}-rollbacks`}>
      <legend className="mb-1 text-sm font-semibold text-slate-900">Rollbacks</legend>
      <p className="-mt-1 mb-1 text-xs text-slate-500">
        A rollback is a new deployment of the last revision that succeeded in this group, with that deployment&apos;s content option.
      </p>
      <Checkbox id={`${idPrefix}-rollback-disabled`} label="Disable rollbacks" checked={!value.enabled}
        onChange={(e) => onChange(e.target.checked ? { enabled: false, events: value.events } : { enabled: true, events: ["DEPLOYMENT_FAILURE"] })} />
      <div className="flex flex-col gap-2 pl-6">
        <Checkbox id={`${idPrefix}-rollback-failure`} label="Roll back when a deployment fails" checked={has("DEPLOYMENT_FAILURE")}
          onChange={(e) => toggle("DEPLOYMENT_FAILURE", e.target.checked)} />
        <Checkbox id={`${idPrefix}-rollback-alarm`} label="Roll back when alarm thresholds are met" checked={has("DEPLOYMENT_STOP_ON_ALARM")}
          onChange={(e) => toggle("DEPLOYMENT_STOP_ON_ALARM", e.target.checked)} />
      </div>
    </fieldset>
  );
}

export function rollbackSummary(config: AutoRollback | null | undefined): string {
  if (!config?.enabled || config.events.length === 0) return "Disabled";
  const words: Record<RollbackEvent, string> = {
    DEPLOYMENT_FAILURE: "when a deployment fails",
    DEPLOYMENT_STOP_ON_ALARM: "when alarm thresholds are met",
    DEPLOYMENT_STOP_ON_REQUEST: "when a deployment is stopped",
  };
  return `Roll back ${config.events.map((e) => words[e]).join(", ")}`;
}
