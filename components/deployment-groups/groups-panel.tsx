"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatTime } from "@/components/lib/format";
import { useTRPC } from "@/components/lib/trpc";
import { appHref, deploymentHref, groupHref } from "@/components/lib/use-param";
import { EmptyState } from "@/components/ui/empty-state";
import { LinkButton } from "@/components/ui/link-button";
import { Panel } from "@/components/ui/panel";
import { QueryBody } from "@/components/ui/query-body";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";

export function GroupsPanel({ applicationName }: { applicationName: string }) {
  const trpc = useTRPC();
  const groups = useQuery(trpc.deploymentGroups.list.queryOptions({ applicationName }));
  const create = (
    <LinkButton href={`${appHref(applicationName)}/deployment-groups/new`} variant="primary" data-testid="create-deployment-group">
      Create deployment group
    </LinkButton>
  );
  return (
    <Panel title="Deployment groups" count={groups.data?.length} flush actions={create}>
      <QueryBody query={groups} loading="Loading deployment groups…" errorTitle="Could not load deployment groups"
        empty={<EmptyState title="No deployment groups" description="A deployment group selects the instances to deploy to by their tags." action={create} />}>
        {(rows) => (
          <Table>
            <THead>
              <tr><TH>Name</TH><TH>Status</TH><TH>Deployment configuration</TH><TH>Last attempted deployment</TH><TH>Last deployment time</TH></tr>
            </THead>
            <tbody>
              {rows.map((g) => (
                <TR key={g.deploymentGroupName} data-testid={`deployment-group-row-${g.deploymentGroupName}`}>
                  <TD><Link href={groupHref(applicationName, g.deploymentGroupName)} className="font-semibold text-blue-700 hover:underline">{g.deploymentGroupName}</Link></TD>
                  <TD>{g.lastDeployment ? <StatusBadge status={g.lastDeployment.status} /> : <span className="text-slate-400">-</span>}</TD>
                  <TD>{g.deploymentConfigName}</TD>
                  <TD>{g.lastDeployment
                    ? <Link href={deploymentHref(g.lastDeployment.deploymentId)} className="font-mono text-blue-700 hover:underline">{g.lastDeployment.deploymentId}</Link>
                    : <span className="text-slate-400">-</span>}</TD>
                  <TD className="text-slate-600">{formatTime(g.lastDeployment?.createTime)}</TD>
                </TR>
              ))}
            </tbody>
          </Table>
        )}
      </QueryBody>
    </Panel>
  );
}
