"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ContentOptionRadios } from "@/components/deployment-groups/content-option-radios";
import { NO_ROLLBACK, RollbackSettings, rollbackSummary, type AutoRollback } from "@/components/deployment-groups/rollback-settings";
import { BUNDLE_TYPES, bundleTypeFromName } from "@/components/lib/content-options";
import { toFormErrors } from "@/components/lib/errors";
import { s3Uri } from "@/components/lib/format";
import { useTRPC, type BundleType, type FileExistsBehavior } from "@/components/lib/trpc";
import { appHref, deploymentHref } from "@/components/lib/use-param";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Checkbox, Input, Select, Textarea } from "@/components/ui/input";
import { Panel } from "@/components/ui/panel";
import { ContentOptionWarning } from "./content-option-warning";
import { parseS3Uri } from "./parse-s3-uri";

const isBundleType = (v: string | null): v is BundleType => BUNDLE_TYPES.some((b) => b.value === v);

export function CreateDeploymentForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const [applicationName, setApplicationName] = useState(params.get("application") ?? "");
  const [groupChoice, setGroupChoice] = useState(params.get("group") ?? "");
  const [location, setLocation] = useState(params.get("revision") ?? "");
  const initialType = params.get("bundleType");
  const [bundleType, setBundleType] = useState<BundleType>(isBundleType(initialType) ? initialType : bundleTypeFromName(location) ?? "zip");
  const [description, setDescription] = useState("");
  const [contentChoice, setContentChoice] = useState<FileExistsBehavior | null>(null);
  const [ignoreStop, setIgnoreStop] = useState(false);
  const [locationError, setLocationError] = useState<string | null>(null);
  const [rollbackOverride, setRollbackOverride] = useState<AutoRollback | null>(null);

  const apps = useQuery(trpc.applications.list.queryOptions());
  const groups = useQuery(trpc.deploymentGroups.list.queryOptions({ applicationName }, { enabled: !!applicationName }));
  const revisions = useQuery(trpc.revisions.list.queryOptions({ applicationName }, { enabled: !!applicationName }));
  // With a single group, the choice is obvious; otherwise the operator picks one.
  const deploymentGroupName = groupChoice || (groups.data?.length === 1 ? groups.data[0].deploymentGroupName : "");
  const group = groups.data?.find((g) => g.deploymentGroupName === deploymentGroupName);
  const content: FileExistsBehavior = contentChoice ?? group?.fileExistsBehavior ?? "DISALLOW";
  // The group's last successful deployment (its content option) for the OVERWRITE-after-RETAIN warning.
  const groupDetail = useQuery(trpc.deploymentGroups.get.queryOptions({ applicationName, deploymentGroupName }, { enabled: !!applicationName && !!deploymentGroupName }));

  const create = useMutation(trpc.deployments.create.mutationOptions({
    onSuccess: ({ deploymentId }) => router.push(deploymentHref(deploymentId)),
  }));
  const errors = toFormErrors(create.error);
  const activeId = errors.message?.match(/d-[A-Z0-9]{9}/)?.[0];

  const onLocation = (value: string) => {
    setLocation(value);
    setLocationError(null);
    const inferred = bundleTypeFromName(value);
    if (inferred) setBundleType(inferred);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseS3Uri(location);
    if ("error" in parsed) { setLocationError(parsed.error); return; }
    create.mutate({
      applicationName, deploymentGroupName,
      revision: { ...parsed, bundleType },
      ...(description.trim() ? { description: description.trim() } : {}),
      fileExistsBehavior: content,
      ignoreApplicationStopFailures: ignoreStop,
      ...(rollbackOverride ? { autoRollbackConfiguration: rollbackOverride } : {}),
    });
  };
  const revisionError = locationError ?? errors.fields.revision ?? null;

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-5" data-testid="create-deployment-form">
      <Panel title="Deployment settings">
        <div className="flex flex-col gap-4">
          <Field label="Application" htmlFor="deployment-application" error={errors.fields.applicationName}>
            <Select id="deployment-application" required value={applicationName} className="max-w-md"
              onChange={(e) => { setApplicationName(e.target.value); setGroupChoice(""); setContentChoice(null); }}>
              <option value="" disabled>{apps.isPending ? "Loading applications…" : "Choose an application"}</option>
              {apps.data?.map((a) => <option key={a.applicationName} value={a.applicationName}>{a.applicationName}</option>)}
            </Select>
          </Field>
          <Field label="Deployment group" htmlFor="deployment-group" error={errors.fields.deploymentGroupName}
            constraint={applicationName && groups.data?.length === 0 ? <>This application has no deployment groups yet. <Link className="text-blue-700 underline" href={`${appHref(applicationName)}/deployment-groups/new`}>Create one</Link>.</> : undefined}>
            <Select id="deployment-group" required value={deploymentGroupName} className="max-w-md" disabled={!applicationName}
              onChange={(e) => { setGroupChoice(e.target.value); setContentChoice(null); }}>
              <option value="" disabled>{groups.isFetching ? "Loading deployment groups…" : "Choose a deployment group"}</option>
              {groups.data?.map((g) => <option key={g.deploymentGroupName} value={g.deploymentGroupName}>{g.deploymentGroupName}</option>)}
            </Select>
          </Field>
          <Field label="Revision type" htmlFor="revision-type">
            <label className="flex items-center gap-2 text-sm"><input id="revision-type" type="radio" checked readOnly className="accent-blue-700" /> My application is stored in Amazon S3 (the Slipway bucket store)</label>
          </Field>
          <Field label="Revision location" htmlFor="revision-location" error={revisionError}
            description="Copy and paste the location of your revision, or choose a registered one."
            constraint="s3://bucket-name/folder/object.[zip|tar|tgz]">
            <Input id="revision-location" required list="registered-revisions" value={location} invalid={!!revisionError}
              onChange={(e) => onLocation(e.target.value)} placeholder="s3://bucket-name/folder/object.zip" className="max-w-2xl font-mono" />
            <datalist id="registered-revisions">
              {revisions.data?.map((r) => <option key={`${s3Uri(r.s3Location)}#${r.s3Location.bundleType}`} value={s3Uri(r.s3Location)}>{r.description ?? ""}</option>)}
            </datalist>
          </Field>
          <Field label="Revision file type" htmlFor="revision-file-type">
            <Select id="revision-file-type" value={bundleType} onChange={(e) => setBundleType(e.target.value as BundleType)} className="max-w-48">
              {BUNDLE_TYPES.map((b) => <option key={b.value} value={b.value}>{b.label}</option>)}
            </Select>
          </Field>
          <Field label={<>Deployment description <span className="font-normal text-slate-500">- optional</span></>} htmlFor="deployment-description" error={errors.fields.description}>
            <Textarea id="deployment-description" rows={2} maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} className="max-w-2xl" />
          </Field>
        </div>
      </Panel>
      <Panel title="Additional deployment behavior settings">
        <div className="flex flex-col gap-5">
          <ContentOptionRadios name="deployment-content" value={content} onChange={setContentChoice} />
          <ContentOptionWarning content={content} lastSuccessful={groupDetail.data?.lastSuccessfulDeployment} />
          {errors.fields.fileExistsBehavior && <p className="text-xs text-red-700">{errors.fields.fileExistsBehavior}</p>}
          <Checkbox id="ignore-application-stop-failures" checked={ignoreStop} onChange={(e) => setIgnoreStop(e.target.checked)}
            label="Don't fail the deployment if the ApplicationStop lifecycle event fails"
            description="The ApplicationStop scripts of the revision already on an instance run first; with this set, their failure does not fail the instance." />
        </div>
      </Panel>
      <Panel title="Rollback configuration overrides" description={<>Deployment group setting: {group ? rollbackSummary(group.autoRollbackConfiguration) : "-"}</>}>
        <div className="flex flex-col gap-3">
          <Checkbox id="override-rollback" label="Override the deployment group's rollback settings for this deployment" checked={rollbackOverride !== null}
            onChange={(e) => setRollbackOverride(e.target.checked ? (group?.autoRollbackConfiguration ?? NO_ROLLBACK) : null)} />
          {rollbackOverride && <RollbackSettings value={rollbackOverride} onChange={setRollbackOverride} idPrefix="deployment" />}
          {errors.fields.autoRollbackConfiguration && <p className="text-xs text-red-700">{errors.fields.autoRollbackConfiguration}</p>}
        </div>
      </Panel>
      {errors.message && (
        <Alert type="error" title="Could not create the deployment"
          action={activeId && <Link href={deploymentHref(activeId)} className="text-sm font-semibold text-red-900 underline">View {activeId}</Link>}>
          {errors.message}
        </Alert>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="link" onClick={() => router.back()}>Cancel</Button>
        <Button type="submit" variant="primary" loading={create.isPending} data-testid="create-deployment-submit">Create deployment</Button>
      </div>
    </form>
  );
}
