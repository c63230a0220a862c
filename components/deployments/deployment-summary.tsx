"use client";

import Link from "next/link";
import { bundleTypeLabel, contentOptionLabel } from "@/components/lib/content-options";
import { formatDuration, formatTime, s3Uri } from "@/components/lib/format";
import type { DeploymentInfo } from "@/components/lib/trpc";
import { appHref, deploymentHref, groupHref } from "@/components/lib/use-param";
import { isActiveStatus, useNow } from "@/components/lib/use-now";
import { Alert } from "@/components/ui/alert";
import { KeyValueGrid } from "@/components/ui/key-value";
import { Panel } from "@/components/ui/panel";
import { statusLabel } from "@/components/ui/status-badge";
import { creatorLabel } from "./deployments-table";

const OVERVIEW = [
  { key: "Succeeded", bar: "bg-green-600" },
  { key: "Failed", bar: "bg-red-600" },
  { key: "InProgress", bar: "bg-blue-600" },
  { key: "Skipped", bar: "bg-slate-300" },
  { key: "Pending", bar: "bg-slate-200" },
] as const;

function Overview({ overview }: { overview: DeploymentInfo["deploymentOverview"] }) {
  const total = OVERVIEW.reduce((n, o) => n + (overview[o.key] ?? 0), 0);
  return (
    <div data-testid="deployment-overview">
      <p className="mb-2 text-sm text-slate-700">
        Installing application on your instances: <b>{overview.Succeeded} of {total}</b> instance{total === 1 ? "" : "s"} updated
      </p>
      <div className="flex h-2.5 overflow-hidden rounded-full bg-slate-100">
        {total > 0 && OVERVIEW.map((o) => (overview[o.key] ?? 0) > 0 && (
          <div key={o.key} className={o.bar} style={{ width: `${((overview[o.key] ?? 0) / total) * 100}%` }} />
        ))}
      </div>
      <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600">
        {OVERVIEW.map((o) => (
          <div key={o.key} className="flex items-center gap-1.5">
            <span aria-hidden className={`size-2 rounded-full ${o.bar}`} />
            <dt>{statusLabel(o.key)}</dt>
            <dd data-testid={`overview-${o.key}`} className="font-semibold text-slate-800">{overview[o.key] ?? 0}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function DeploymentSummary({ info }: { info: DeploymentInfo }) {
  const now = useNow(isActiveStatus(info.status));
  const loc = info.revision.s3Location;
  const rollback = info.rollbackInfo;
  return (
    <div className="flex flex-col gap-5">
      {info.errorInformation && (
        <Alert type="error" title={<span data-testid="deployment-error-code">{info.errorInformation.code}</span>}>
          <span data-testid="deployment-error-message">{info.errorInformation.message}</span>
        </Alert>
      )}
      {rollback && (rollback.rollbackDeploymentId || rollback.rollbackTriggeringDeploymentId || rollback.rollbackMessage) && (
        <Alert type="info" title="Rollback">
          {rollback.rollbackTriggeringDeploymentId && (
            <p>This deployment rolls back <Link className="font-mono underline" href={deploymentHref(rollback.rollbackTriggeringDeploymentId)}>{rollback.rollbackTriggeringDeploymentId}</Link>.</p>
          )}
          {rollback.rollbackDeploymentId && (
            <p>Rolled back by <Link data-testid="rollback-deployment-link" className="font-mono underline" href={deploymentHref(rollback.rollbackDeploymentId)}>{rollback.rollbackDeploymentId}</Link>.</p>
          )}
          {rollback.rollbackMessage && <p>{rollback.rollbackMessage}</p>}
        </Alert>
      )}
      <Panel title="Deployment status">
        <Overview overview={info.deploymentOverview} />
      </Panel>
      <Panel title="Deployment details">
        <KeyValueGrid columns={4} items={[
          { label: "Application", value: <Link className="text-blue-700 hover:underline" href={appHref(info.applicationName)}>{info.applicationName}</Link> },
          { label: "Deployment ID", value: <span className="font-mono">{info.deploymentId}</span> },
          { label: "Deployment configuration", value: info.deploymentConfigName },
          { label: "Deployment group", value: <Link className="text-blue-700 hover:underline" href={groupHref(info.applicationName, info.deploymentGroupName)}>{info.deploymentGroupName}</Link> },
          { label: "Initiated by", value: creatorLabel(info.creator) },
          { label: "Revision location", value: <span className="font-mono text-xs break-all">{s3Uri(loc)}</span>, testId: "deployment-revision" },
          { label: "Revision file type", value: bundleTypeLabel(loc.bundleType) },
          { label: "Content options", value: contentOptionLabel(info.fileExistsBehavior) },
          { label: "Description", value: info.description ?? "-" },
          { label: "Created", value: formatTime(info.createTime) },
          { label: "Start time", value: formatTime(info.startTime) },
          { label: "End time", value: formatTime(info.completeTime) },
          { label: "Duration", value: formatDuration(info.startTime ?? info.createTime, info.completeTime, isActiveStatus(info.status) ? now : undefined), testId: "deployment-duration" },
          { label: "ApplicationStop failures", value: info.ignoreApplicationStopFailures ? "Ignored" : "Fail the instance" },
          ...(loc.eTag ? [{ label: "ETag", value: <span className="font-mono text-xs break-all">{loc.eTag}</span> }] : []),
        ]} />
      </Panel>
    </div>
  );
}
