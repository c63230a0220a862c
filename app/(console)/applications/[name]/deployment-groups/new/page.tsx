"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { GroupForm } from "@/components/deployment-groups/group-form";
import { toFormErrors } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { appHref, groupHref, useParam } from "@/components/lib/use-param";
import { PageHeader } from "@/components/ui/page-header";

export default function NewDeploymentGroupPage() {
  const applicationName = useParam("name");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.deploymentGroups.create.mutationOptions({
    onSuccess: async (_d, input) => {
      await queryClient.invalidateQueries({ queryKey: trpc.deploymentGroups.list.queryKey({ applicationName }) });
      await queryClient.invalidateQueries({ queryKey: trpc.applications.list.queryKey() });
      router.push(groupHref(applicationName, input.deploymentGroupName));
    },
  }));
  return (
    <div className="max-w-4xl">
      <PageHeader
        crumbs={[{ label: "Applications", href: "/applications" }, { label: applicationName, href: appHref(applicationName) }, { label: "Create deployment group" }]}
        title="Create deployment group" description={<>Application: <b>{applicationName}</b> · Compute platform: EC2/On-premises</>}
      />
      <GroupForm submitLabel="Create deployment group" pending={create.isPending} errors={toFormErrors(create.error)}
        cancelHref={appHref(applicationName)} nameErrorKey="deploymentGroupName"
        onSubmit={(v) => create.mutate({ applicationName, ...v })} />
    </div>
  );
}
