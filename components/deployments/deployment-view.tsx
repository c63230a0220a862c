"use client";

import { useQuery } from "@tanstack/react-query";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { appHref } from "@/components/lib/use-param";
import { isActiveStatus } from "@/components/lib/use-now";
import { useDeploymentLive, type LiveConnection } from "@/components/use-deployment-live";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { Spinner } from "@/components/ui/spinner";
import { StatusBadge } from "@/components/ui/status-badge";
import { DeploymentActions } from "./deployment-actions";
import { DeploymentLogs } from "./deployment-logs";
import { DeploymentSummary } from "./deployment-summary";
import { DeploymentTimeline } from "./deployment-timeline";
import { LifecycleEvents } from "./lifecycle-events";

function LiveIndicator({ connection, active }: { connection: LiveConnection; active: boolean }) {
  if (!active) return null;
  if (connection === "live") return <Badge tone="green" data-testid="live-indicator">Live</Badge>;
  if (connection === "connecting") return <Badge tone="neutral" data-testid="live-indicator">Connecting…</Badge>;
  return <Badge tone="amber" data-testid="live-indicator" title="Live updates are disconnected; refreshing every few seconds.">Reconnecting…</Badge>;
}

export function DeploymentView({ deploymentId }: { deploymentId: string }) {
  const trpc = useTRPC();
  const { logs, connection, logError } = useDeploymentLive(deploymentId);
  // useDeploymentLive refreshes these on socket events, and polls for them while the socket is down.
  const deployment = useQuery(trpc.deployments.get.queryOptions({ deploymentId }));
  const info = deployment.data?.deploymentInfo;
  const active = info ? isActiveStatus(info.status) : false;
  const targets = useQuery(trpc.deployments.targets.queryOptions({ deploymentId }));

  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Deployments", href: "/deployments" },
          ...(info ? [{ label: info.applicationName, href: appHref(info.applicationName) }] : []),
          { label: deploymentId },
        ]}
        docTitle={info ? `${deploymentId} (${info.status})` : deploymentId}
        title={<span className="flex flex-wrap items-center gap-3"><span className="font-mono">{deploymentId}</span>
          {info && <StatusBadge status={info.status} testId="deployment-status" />}
          {info && <LiveIndicator connection={connection} active={active} />}</span>}
        actions={info && <DeploymentActions info={info} />}
      />
      {deployment.isPending ? (
        <Spinner className="text-slate-500" label="Loading deployment…" />
      ) : deployment.error ? (
        <Alert type="error" title="Could not load the deployment" action={<Button size="sm" onClick={() => deployment.refetch()}>Retry</Button>}>
          {readableMessage(deployment.error)}
        </Alert>
      ) : info ? (
        <div className="flex flex-col gap-5">
          <DeploymentSummary info={info} />
          <Panel title="Deployment lifecycle events" count={targets.data?.length}
            description="One row per instance; open an event to read its full log as it runs.">
            {targets.isPending ? <Spinner className="text-slate-500" label="Loading instances…" />
              : targets.error ? <Alert type="error">{readableMessage(targets.error)}</Alert>
              : targets.data.length === 0 ? (
                <EmptyState title={active ? "Waiting for instances" : "No instances"}
                  description={active ? "The deployment has not picked its instances yet." : "This deployment did not run on any instance."} />
              ) : <LifecycleEvents targets={targets.data} logs={logs} />}
          </Panel>
          <Panel title="Deployment logs" testId="deployment-logs" description="Every line from every instance, in order (stdout, stderr in red, Slipway's own messages in grey).">
            {logError && <Alert type="warning" className="mb-3">Could not load the log: {logError}. Retrying…</Alert>}
            <DeploymentLogs logs={logs} targetIds={targets.data?.map((t) => t.targetId) ?? []} />
          </Panel>
          <Panel title="Timeline" description="The deployment's own record of what happened, in order.">
            <DeploymentTimeline deploymentId={deploymentId} />
          </Panel>
        </div>
      ) : null}
    </>
  );
}
