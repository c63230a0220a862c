"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Fragment } from "react";
import { readableMessage } from "@/components/lib/errors";
import { formatDuration, formatDurationShort, formatShortTime, formatTime, s3Uri } from "@/components/lib/format";
import { useTRPC, type RouterOutputs } from "@/components/lib/trpc";
import { appHref, deploymentHref, groupHref } from "@/components/lib/use-param";
import { isActiveStatus, useNow } from "@/components/lib/use-now";
import { Button } from "@/components/ui/button";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { RollbackCell } from "./rollback-cell";

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
      <Button size="sm" variant="link" loading={redeploy.isPending} onClick={() => redeploy.mutate({ deploymentId })} data-testid={`redeploy-${deploymentId}`}
        aria-label={`Redeploy the revision of ${deploymentId}`} title="Create a new deployment of this revision" className="h-6! px-0!">Redeploy</Button>
      {redeploy.error && <p role="alert" className="mt-1 text-xs break-words text-red-700">{readableMessage(redeploy.error)}</p>}
    </>
  );
}

/**
 * Deployment history, newest first, as on the console's Deployments page. A fixed layout keeps
 * it inside the panel at 1280 px: group and revision take the remaining width and wrap or
 * truncate (full text in their titles); below the minimum width the panel scrolls instead.
 */
export function DeploymentsTable({ rows, showApplication = true, showGroup = true }: {
  rows: DeploymentRow[]; showApplication?: boolean; showGroup?: boolean;
}) {
  const now = useNow(rows.some((r) => isActiveStatus(r.status)));
  return (
    <Table className="min-w-[56rem] table-fixed [&_td]:px-2.5 [&_th]:px-2.5 [&_th]:whitespace-normal">
      <THead>
        <tr>
          <TH className="w-28">Deployment ID</TH>
          <TH className="w-28">Status</TH>
          {showGroup && <TH>Deployment group</TH>}
          <TH>Revision</TH>
          <TH className="w-22">Initiated by</TH>
          <TH className="w-18">Duration</TH>
          <TH className="w-26">Created</TH>
          <TH className="w-32">Rollback</TH>
          <TH className="w-19"><span className="sr-only">Actions</span></TH>
        </tr>
      </THead>
      <tbody>
        {rows.map((d) => {
          const uri = s3Uri(d.revision);
          const end = isActiveStatus(d.status) ? now : undefined;
          return (
            <TR key={d.deploymentId} data-testid={`deployment-row-${d.deploymentId}`} data-status={d.status}>
              <TD><Link href={deploymentHref(d.deploymentId)} className="font-mono text-sm font-semibold whitespace-nowrap text-blue-700 hover:underline">{d.deploymentId}</Link></TD>
              <TD>
                <StatusBadge status={d.status} />
                {d.errorInformation && (
                  <p className="mt-1 text-xs font-medium text-red-700" title={d.errorInformation.message} data-testid={`error-code-${d.deploymentId}`}>
                    <BreakAfter text={d.errorInformation.code} sep="_" />
                  </p>
                )}
              </TD>
              {showGroup && (
                <TD className="break-words">
                  {showApplication && (
                    <Link href={appHref(d.applicationName)} className="block text-xs text-slate-500 hover:underline" title="Application">{d.applicationName}</Link>
                  )}
                  <Link href={groupHref(d.applicationName, d.deploymentGroupName)} className="text-blue-700 hover:underline">{d.deploymentGroupName}</Link>
                </TD>
              )}
              <TD><span className="line-clamp-2 font-mono text-xs wrap-anywhere text-slate-700" title={uri} data-testid={`revision-${d.deploymentId}`}>s3://<BreakAfter text={uri.slice("s3://".length)} sep="/" /></span></TD>
              <TD className="text-xs text-slate-700">{creatorLabel(d.creator)}</TD>
              <TD className="text-xs whitespace-nowrap text-slate-600" title={formatDuration(d.createTime, d.completeTime, end)}>
                {formatDurationShort(d.createTime, d.completeTime, end)}
              </TD>
              <TD className="text-xs whitespace-nowrap text-slate-600" title={formatTime(d.createTime)}>{formatShortTime(d.createTime)}</TD>
              <TD><RollbackCell deployment={d} /></TD>
              <TD className="text-right">{d.status === "Succeeded" && <RedeployButton deploymentId={d.deploymentId} />}</TD>
            </TR>
          );
        })}
      </tbody>
    </Table>
  );
}

/** Text that may wrap after each `sep` (HEALTH_/CONSTRAINTS, s3://bucket/key) before it breaks mid-word. */
function BreakAfter({ text, sep }: { text: string; sep: string }) {
  return text.split(sep).map((part, i, all) => (
    <Fragment key={i}>{part}{i < all.length - 1 && <>{sep}<wbr /></>}</Fragment>
  ));
}

/** CodeDeploy's creator values, in the console's words. */
export function creatorLabel(creator: string): string {
  if (creator === "user") return "User action";
  if (creator === "codeDeployRollback") return "Rollback";
  if (creator === "autoscaling") return "Auto Scaling";
  return creator;
}
