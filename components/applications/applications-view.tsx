"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { readableMessage } from "@/components/lib/errors";
import { formatTime } from "@/components/lib/format";
import { useTRPC } from "@/components/lib/trpc";
import { appHref } from "@/components/lib/use-param";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { QueryBody } from "@/components/ui/query-body";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { CreateApplicationDialog } from "./create-application-dialog";

export function ApplicationsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const apps = useQuery(trpc.applications.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const remove = useMutation(trpc.applications.remove.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.applications.list.queryKey() });
      setDeleting(null);
    },
  }));
  const create = <Button variant="primary" onClick={() => setCreating(true)} data-testid="create-application">Create application</Button>;

  return (
    <>
      <PageHeader crumbs={[{ label: "CodeDeploy" }, { label: "Applications" }]} title="Applications" />
      <Panel title="Applications" count={apps.data?.length} flush actions={create}>
        <QueryBody query={apps} loading="Loading applications…" errorTitle="Could not load applications"
          empty={<EmptyState title="No applications" description="An application groups the deployment groups and revisions of one piece of software." action={create} />}>
          {(rows) => (
            <Table>
              <THead>
                <tr><TH>Name</TH><TH>Compute platform</TH><TH>Deployment groups</TH><TH>Created</TH><TH className="text-right">Actions</TH></tr>
              </THead>
              <tbody>
                {rows.map((a) => (
                  <TR key={a.applicationName} data-testid={`application-row-${a.applicationName}`}>
                    <TD><Link href={appHref(a.applicationName)} className="font-semibold text-blue-700 hover:underline">{a.applicationName}</Link></TD>
                    <TD>EC2/On-premises</TD>
                    <TD>{a.deploymentGroupCount}</TD>
                    <TD className="text-slate-600">{formatTime(a.createTime)}</TD>
                    <TD className="text-right">
                      <Button size="sm" onClick={() => { remove.reset(); setDeleting(a.applicationName); }} data-testid={`delete-application-${a.applicationName}`}>Delete</Button>
                    </TD>
                  </TR>
                ))}
              </tbody>
            </Table>
          )}
        </QueryBody>
      </Panel>
      <CreateApplicationDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog open={deleting !== null} onClose={() => setDeleting(null)} title="Delete application" confirmText="delete"
        pending={remove.isPending} error={remove.error ? readableMessage(remove.error) : null}
        onConfirm={() => deleting && remove.mutate({ applicationName: deleting })}>
        Deleting <b>{deleting}</b> also deletes its deployment groups and revision records. Instances keep the files already deployed.
        An application with a deployment in progress cannot be deleted.
      </ConfirmDialog>
    </>
  );
}
