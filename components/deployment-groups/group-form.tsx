"use client";

import { useState, type FormEvent } from "react";
import { DEPLOYMENT_CONFIGS, deploymentConfigDescription } from "@/components/lib/content-options";
import type { FormErrors } from "@/components/lib/errors";
import type { FileExistsBehavior, TagFilter } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { LinkButton } from "@/components/ui/link-button";
import { Panel } from "@/components/ui/panel";
import { AlarmSettings, NO_ALARMS, type AlarmSettingsValue } from "./alarm-settings";
import { ContentOptionRadios } from "./content-option-radios";
import { MatchingInstances } from "./matching-instances";
import { NO_ROLLBACK, RollbackSettings, type AutoRollback } from "./rollback-settings";
import { fromTagFilters, TagFilterRows, toTagFilters, type FilterRow } from "./tag-filter-rows";

export type GroupFormValues = {
  deploymentGroupName: string;
  onPremisesTagFilters: TagFilter[];
  deploymentConfigName: string;
  fileExistsBehavior: FileExistsBehavior;
  autoRollbackConfiguration: AutoRollback;
  alarmConfiguration: AlarmSettingsValue;
  bakeTimeSeconds?: number;
};

/** What the API returns for a group, as the form's starting values. */
export type GroupFormInitial = Omit<GroupFormValues, "autoRollbackConfiguration" | "alarmConfiguration" | "bakeTimeSeconds"> & {
  autoRollbackConfiguration?: AutoRollback | null;
  alarmConfiguration?: AlarmSettingsValue | null;
  bakeTimeSeconds?: number | null;
};

/** Create / edit deployment group, laid out as the console's sections. */
export function GroupForm({ initial, submitLabel, pending, errors, cancelHref, nameErrorKey, onSubmit }: {
  initial?: GroupFormInitial; submitLabel: string; pending: boolean; errors: FormErrors; cancelHref: string;
  nameErrorKey: string; onSubmit: (values: GroupFormValues) => void;
}) {
  const [name, setName] = useState(initial?.deploymentGroupName ?? "");
  const [rows, setRows] = useState<FilterRow[]>(
    initial ? fromTagFilters(initial.onPremisesTagFilters) : [{ Key: "Name", Value: "", Type: "KEY_AND_VALUE" }],
  );
  const [config, setConfig] = useState(initial?.deploymentConfigName ?? DEPLOYMENT_CONFIGS[0].name);
  const [content, setContent] = useState<FileExistsBehavior>(initial?.fileExistsBehavior ?? "DISALLOW");
  const [rollback, setRollback] = useState<AutoRollback>(initial?.autoRollbackConfiguration ?? NO_ROLLBACK);
  const [alarms, setAlarms] = useState<AlarmSettingsValue>(initial?.alarmConfiguration ?? NO_ALARMS);
  const [bakeTime, setBakeTime] = useState(initial?.bakeTimeSeconds ? String(initial.bakeTimeSeconds) : "");
  const filters = toTagFilters(rows);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      deploymentGroupName: name.trim(), onPremisesTagFilters: filters, deploymentConfigName: config, fileExistsBehavior: content,
      autoRollbackConfiguration: rollback, alarmConfiguration: alarms,
      ...(bakeTime.trim() !== "" ? { bakeTimeSeconds: Number(bakeTime) } : initial?.bakeTimeSeconds ? { bakeTimeSeconds: 0 } : {}),
    });
  };
  const nameError = errors.fields[nameErrorKey] ?? errors.fields.deploymentGroupName;

  return (
    <form onSubmit={submit} className="flex flex-col gap-5" data-testid="deployment-group-form">
      <Panel title="Deployment group name">
        <Field label="Enter a deployment group name" htmlFor="deployment-group-name" error={nameError} constraint="100 character limit">
          <Input id="deployment-group-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} invalid={!!nameError} />
        </Field>
      </Panel>
      <Panel title="Environment configuration" description="Select the on-premises instances to add to this deployment group by their tags.">
        <div className="flex flex-col gap-4">
          <Field label="On-premises instances" error={errors.fields.onPremisesTagFilters}
            description="An instance matching any of these tags is part of the group.">
            <TagFilterRows rows={rows} onChange={setRows} />
          </Field>
          <MatchingInstances filters={filters} />
        </div>
      </Panel>
      <Panel title="Deployment settings">
        <div className="flex flex-col gap-5">
          <Field label="Deployment configuration" htmlFor="deployment-config" error={errors.fields.deploymentConfigName}
            description="The rules for how many instances are deployed to at once and what counts as success."
            constraint={<span id="deployment-config-description" data-testid="deployment-config-description">{deploymentConfigDescription(config) ?? "A configuration this console does not describe."}</span>}>
            <Select id="deployment-config" value={config} onChange={(e) => setConfig(e.target.value)} className="max-w-md" aria-describedby="deployment-config-description">
              {DEPLOYMENT_CONFIGS.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
              {!deploymentConfigDescription(config) && <option value={config}>{config}</option>}
            </Select>
          </Field>
          <ContentOptionRadios name="group-content" value={content} onChange={setContent} />
        </div>
      </Panel>
      <Panel title={<>Advanced <span className="text-base font-normal text-slate-500">- optional</span></>}>
        <div className="flex flex-col gap-6">
          <RollbackSettings value={rollback} onChange={setRollback} idPrefix="group" />
          {errors.fields.autoRollbackConfiguration && <p className="-mt-4 text-xs text-red-700">{errors.fields.autoRollbackConfiguration}</p>}
          {rollback.enabled && content === "OVERWRITE" && (
            <Alert type="warning" title="Overwritten files are not restored by a rollback">
              A deployment that overwrites files an earlier deployment retained deletes them when it is rolled back: the rollback
              reinstalls the previous revision, not the files that were there before it.
            </Alert>
          )}
          <AlarmSettings value={alarms} onChange={setAlarms} bakeTime={bakeTime} onBakeTime={setBakeTime}
            error={errors.fields.alarmConfiguration} bakeError={errors.fields.bakeTimeSeconds} />
        </div>
      </Panel>
      {errors.message && <Alert type="error" title="Could not save the deployment group">{errors.message}</Alert>}
      <div className="flex justify-end gap-2">
        <LinkButton href={cancelHref} className="border-transparent! bg-transparent! text-blue-700">Cancel</LinkButton>
        <Button type="submit" variant="primary" loading={pending} data-testid="deployment-group-submit">{submitLabel}</Button>
      </div>
    </form>
  );
}
