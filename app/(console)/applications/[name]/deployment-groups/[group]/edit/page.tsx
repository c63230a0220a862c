"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { GroupForm } from "@/components/deployment-groups/group-form";
import { readableMessage, toFormErrors } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { appHref, groupHref, useParam } from "@/components/lib/use-param";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";

export default function EditDeploymentGroupPage() {
  const applicationName = useParam("name");
  const deploymentGroupName = useParam("group");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const group = useQuery(trpc.deploymentGroups.get.queryOptions({ applicationName, deploymentGroupName }));
  const update = useMutation(trpc.deploymentGroups.update.mutationOptions({
    onSuccess: async (_d, input) => {
      await queryClient.invalidateQueries({ queryKey: trpc.deploymentGroups.pathKey() });
      router.push(groupHref(applicationName, input.newDeploymentGroupName ?? deploymentGroupName));
    },
  }));
  return (
    <div className="max-w-4xl">
      <PageHeader
        crumbs={[
          { label: "Applications", href: "/applications" }, { label: applicationName, href: appHref(applicationName) },
          { label: deploymentGroupName, href: groupHref(applicationName, deploymentGroupName) }, { label: "Edit" },
        ]}
        title={`Edit deployment group: ${deploymentGroupName}`}
      />
      {group.isPending ? <Spinner className="text-slate-500" label="Loading…" />
        : group.error ? <Alert type="error" title="Could not load the deployment group">{readableMessage(group.error)}</Alert>
        : (
          <GroupForm initial={group.data} submitLabel="Save changes" pending={update.isPending} errors={toFormErrors(update.error)}
            cancelHref={groupHref(applicationName, deploymentGroupName)} nameErrorKey="newDeploymentGroupName"
            onSubmit={(v) => update.mutate({
              applicationName, currentDeploymentGroupName: deploymentGroupName,
              ...(v.deploymentGroupName !== deploymentGroupName ? { newDeploymentGroupName: v.deploymentGroupName } : {}),
              onPremisesTagFilters: v.onPremisesTagFilters, deploymentConfigName: v.deploymentConfigName, fileExistsBehavior: v.fileExistsBehavior,
              autoRollbackConfiguration: v.autoRollbackConfiguration, alarmConfiguration: v.alarmConfiguration,
              ...(v.bakeTimeSeconds !== undefined ? { bakeTimeSeconds: v.bakeTimeSeconds } : {}),
            })} />
        )}
    </div>
  );
}
