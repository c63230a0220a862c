"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC } from "@/components/lib/trpc";
import { isActiveStatus } from "@/components/lib/use-now";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Panel } from "@/components/ui/panel";
import { QueryBody } from "@/components/ui/query-body";
import { DeploymentsTable } from "./deployments-table";

/** A deployments panel filtered by application and/or group; refreshes while any is running. */
export function DeploymentHistory({ applicationName, deploymentGroupName, title = "Deployment history", actions, emptyAction }: {
  applicationName?: string; deploymentGroupName?: string; title?: string; actions?: ReactNode; emptyAction?: ReactNode;
}) {
  const trpc = useTRPC();
  const input = {
    ...(applicationName ? { applicationName } : {}),
    ...(deploymentGroupName ? { deploymentGroupName } : {}),
  };
  const list = useQuery(trpc.deployments.list.queryOptions(input, {
    refetchInterval: (q) => (q.state.data?.some((d) => isActiveStatus(d.status)) ? 3000 : 15_000),
  }));
  return (
    <Panel title={title} count={list.data?.length} flush testId="deployment-history"
      actions={<>
        <Button onClick={() => list.refetch()} loading={list.isFetching && !list.isPending}>Refresh</Button>
        {actions}
      </>}
    >
      <QueryBody query={list} loading="Loading deployments…" errorTitle="Could not load deployments"
        empty={<EmptyState title="No deployments" description="Deployments you create show here with their status." action={emptyAction} />}>
        {(rows) => <DeploymentsTable rows={rows} showApplication={!applicationName} showGroup={!deploymentGroupName} />}
      </QueryBody>
    </Panel>
  );
}
