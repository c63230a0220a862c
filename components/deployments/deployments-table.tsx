"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { readableMessage } from "@/components/lib/errors";
import { formatDuration, formatTime, s3Uri } from "@/components/lib/format";
import { useTRPC, type RouterOutputs } from "@/components/lib/trpc";
import { appHref, deploymentHref, groupHref } from "@/components/lib/use-param";
import { isActiveStatus, useNow } from "@/components/lib/use-now";
import { Button } from "@/components/ui/button";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";

export type DeploymentRow = RouterOutputs["deployments"]["list"][number];

/** One click: a new deployment of this (successful) deployment's revision, with its content option. */
function RedeployButton({ deploymentId }: { deploymentId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const redeploy = useMutation(trpc.deployments.redeploy.mutationOptions({
    onSuccess: ({ deploymentId: id }) => router.push(deploymentHref(id)),
  }));
  return (
    <>
      <Button size="sm" loading={redeploy.isPending} onClick={() => redeploy.mutate({ deploymentId })} data-testid={`redeploy-${deploymentId}`}
        aria-label={`Redeploy the revision of ${deploymentId}`} title="Create a new deployment of this revision">Redeploy</Button>
      {redeploy.error && <p role="alert" className="mt-1 max-w-48 text-xs text-red-700">{readableMessage(redeploy.error)}</p>}
    </>
  );
}

/** Deployment history, newest first, as on the console's Deployments page. */
export function DeploymentsTable({ rows, showApplication = true, showGroup = true }: {
  rows: DeploymentRow[]; showApplication?: boolean; showGroup?: boolean;
}) {
  const now = useNow(rows.some((r) => isActiveStatus(r.status)));
  return (
    <Table>
      <THead>
        <tr>
          <TH>Deployment ID</TH>
          <TH>Status</TH>
          {showApplication && <TH>Application</TH>}
          {showGroup && <TH>Deployment group</TH>}
          <TH>Revision location</TH>
          <TH>Initiating event</TH>
          <TH>Start time</TH>
          <TH>Duration</TH>
          <TH><span className="sr-only">Actions</span></TH>
        </tr>
      </THead>
      <tbody>
        {rows.map((d) => (
          <TR key={d.deploymentId} data-testid={`deployment-row-${d.deploymentId}`} data-status={d.status}>
            <TD><Link href={deploymentHref(d.deploymentId)} className="font-mono text-sm font-semibold whitespace-nowrap text-blue-700 hover:underline">{d.deploymentId}</Link></TD>
            <TD>
              <StatusBadge status={d.status} />
              {d.errorInformation && <p className="mt-1 max-w-48 truncate text-xs text-red-700" title={d.errorInformation.message}>{d.errorInformation.code}: {d.errorInformation.message}</p>}
            </TD>
            {showApplication && <TD><Link href={appHref(d.applicationName)} className="text-blue-700 hover:underline">{d.applicationName}</Link></TD>}
            {showGroup && <TD><Link href={groupHref(d.applicationName, d.deploymentGroupName)} className="text-blue-700 hover:underline">{d.deploymentGroupName}</Link></TD>}
            <TD className="max-w-60 truncate font-mono text-xs text-slate-700" title={s3Uri(d.revision)}>{s3Uri(d.revision)}</TD>
            <TD>{creatorLabel(d.creator)}</TD>
            <TD className="whitespace-nowrap text-slate-600">{formatTime(d.createTime)}</TD>
            <TD className="whitespace-nowrap text-slate-600">{formatDuration(d.createTime, d.completeTime, isActiveStatus(d.status) ? now : undefined)}</TD>
            <TD>{d.status === "Succeeded" && <RedeployButton deploymentId={d.deploymentId} />}</TD>
          </TR>
        ))}
      </tbody>
    </Table>
  );
}

/** CodeDeploy's creator values, in the console's words. */
export function creatorLabel(creator: string): string {
  if (creator === "user") return "User action";
  if (creator === "codeDeployRollback") return "Rollback";
  if (creator === "autoscaling") return "Auto Scaling";
  return creator;
}
