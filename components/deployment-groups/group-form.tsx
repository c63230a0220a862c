"use client";

import { useState, type FormEvent } from "react";
import { DEPLOYMENT_CONFIGS } from "@/components/lib/content-options";
import type { FormErrors } from "@/components/lib/errors";
import type { FileExistsBehavior, TagFilter } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { LinkButton } from "@/components/ui/link-button";
import { Panel } from "@/components/ui/panel";
import { ContentOptionRadios } from "./content-option-radios";
import { MatchingInstances } from "./matching-instances";
import { fromTagFilters, TagFilterRows, toTagFilters, type FilterRow } from "./tag-filter-rows";

export type GroupFormValues = {
  deploymentGroupName: string;
  onPremisesTagFilters: TagFilter[];
  deploymentConfigName: string;
  fileExistsBehavior: FileExistsBehavior;
};

/** Create / edit deployment group, laid out as the console's sections. */
export function GroupForm({ initial, submitLabel, pending, errors, cancelHref, nameErrorKey, onSubmit }: {
  initial?: GroupFormValues; submitLabel: string; pending: boolean; errors: FormErrors; cancelHref: string;
  nameErrorKey: string; onSubmit: (values: GroupFormValues) => void;
}) {
  const [name, setName] = useState(initial?.deploymentGroupName ?? "");
  const [rows, setRows] = useState<FilterRow[]>(
    initial ? fromTagFilters(initial.onPremisesTagFilters) : [{ Key: "Name", Value: "", Type: "KEY_AND_VALUE" }],
  );
  const [config, setConfig] = useState(initial?.deploymentConfigName ?? DEPLOYMENT_CONFIGS[0]);
  const [content, setContent] = useState<FileExistsBehavior>(initial?.fileExistsBehavior ?? "DISALLOW");
  const filters = toTagFilters(rows);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ deploymentGroupName: name.trim(), onPremisesTagFilters: filters, deploymentConfigName: config, fileExistsBehavior: content });
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
            description="The rules for how many instances are deployed to at once and what counts as success.">
            <Select id="deployment-config" value={config} onChange={(e) => setConfig(e.target.value)} className="max-w-md">
              {DEPLOYMENT_CONFIGS.map((c) => <option key={c} value={c}>{c}</option>)}
            </Select>
          </Field>
          <ContentOptionRadios name="group-content" value={content} onChange={setContent} />
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
