"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DeploymentHistory } from "@/components/deployments/deployment-history";
import { contentOptionLabel } from "@/components/lib/content-options";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { appHref, groupHref, newDeploymentHref } from "@/components/lib/use-param";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { KeyValueGrid } from "@/components/ui/key-value";
import { LinkButton } from "@/components/ui/link-button";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { Spinner } from "@/components/ui/spinner";
import { MatchingInstances } from "./matching-instances";
import { rollbackSummary } from "./rollback-settings";
import { TAG_FILTER_TYPE_LABELS } from "./tag-filter-rows";

export function GroupDetails({ applicationName, deploymentGroupName }: { applicationName: string; deploymentGroupName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const group = useQuery(trpc.deploymentGroups.get.queryOptions({ applicationName, deploymentGroupName }));
  const [deleting, setDeleting] = useState(false);
  const remove = useMutation(trpc.deploymentGroups.remove.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.deploymentGroups.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.applications.list.queryKey() });
      router.push(appHref(applicationName));
    },
  }));
  const createDeployment = (
    <LinkButton href={newDeploymentHref(applicationName, deploymentGroupName)} variant="primary" data-testid="create-deployment">Create deployment</LinkButton>
  );

  return (
    <>
      <PageHeader
        crumbs={[{ label: "Applications", href: "/applications" }, { label: applicationName, href: appHref(applicationName) }, { label: deploymentGroupName }]}
        title={deploymentGroupName}
        actions={<>
          <Button onClick={() => { remove.reset(); setDeleting(true); }} data-testid="delete-deployment-group">Delete</Button>
          <LinkButton href={`${groupHref(applicationName, deploymentGroupName)}/edit`} data-testid="edit-deployment-group">Edit</LinkButton>
          {createDeployment}
        </>}
      />
      <div className="flex flex-col gap-5">
        <Panel title="Deployment group details">
          {group.isPending ? <Spinner className="text-slate-500" label="Loading…" />
            : group.error ? <Alert type="error" title="Could not load the deployment group">{readableMessage(group.error)}</Alert>
            : (
              <div className="flex flex-col gap-5">
                <KeyValueGrid columns={4} items={[
                  { label: "Deployment group name", value: group.data.deploymentGroupName },
                  { label: "Application name", value: applicationName },
                  { label: "Compute platform", value: "EC2/On-premises" },
                  { label: "Deployment type", value: "In-place" },
                  // A break opportunity after the dot, so a narrow column wraps "CodeDeployDefault." whole.
                  { label: "Deployment configuration", value: <>{group.data.deploymentConfigName.split(".").map((part, i) => (i ? <span key={i}>.<wbr />{part}</span> : part))}</>, testId: "group-deployment-config" },
                  { label: "Content options", value: contentOptionLabel(group.data.fileExistsBehavior) },
                  { label: "Rollbacks", value: rollbackSummary(group.data.autoRollbackConfiguration), testId: "group-rollbacks" },
                  { label: "Alarms", value: group.data.alarmConfiguration?.alarms.length
                    ? `${group.data.alarmConfiguration.alarms.map((a) => a.name).join(", ")}${group.data.alarmConfiguration.enabled ? "" : " (monitoring disabled)"}`
                    : "None" },
                  { label: "Bake time", value: group.data.bakeTimeSeconds ? `${group.data.bakeTimeSeconds} seconds` : "None" },
                  { label: "Deployment group ID", value: <code className="text-xs">{group.data.deploymentGroupId}</code> },
                ]} />
                <div>
                  <h3 className="mb-2 text-sm font-semibold text-slate-600">On-premises instance tags</h3>
                  {group.data.onPremisesTagFilters.length === 0 ? <p className="text-sm text-slate-500">No tag filters: this group selects no instances.</p> : (
                    <ul className="mb-3 flex flex-wrap gap-2">
                      {group.data.onPremisesTagFilters.map((f, i) => (
                        <li key={i} className="rounded border border-slate-200 bg-slate-50 px-2 py-1 font-mono text-xs">
                          {f.Key ?? "*"}{f.Type === "KEY_AND_VALUE" || f.Type === "VALUE_ONLY" ? ` = ${f.Value ?? ""}` : ""}
                          <span className="ml-2 font-sans text-slate-500">{TAG_FILTER_TYPE_LABELS[f.Type]}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                  <MatchingInstances filters={group.data.onPremisesTagFilters} />
                </div>
              </div>
            )}
        </Panel>
        <DeploymentHistory applicationName={applicationName} deploymentGroupName={deploymentGroupName} emptyAction={createDeployment} />
      </div>
      <ConfirmDialog open={deleting} onClose={() => setDeleting(false)} title="Delete deployment group" confirmText="delete"
        pending={remove.isPending} error={remove.error ? readableMessage(remove.error) : null}
        onConfirm={() => remove.mutate({ applicationName, deploymentGroupName })}>
        Delete <b>{deploymentGroupName}</b>? Instances keep the files already deployed. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
