"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC, type Host } from "@/components/lib/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { QueryBody } from "@/components/ui/query-body";
import { EditHostDialog } from "./edit-host-dialog";
import { HostsTable } from "./hosts-table";
import { RegisterHostDialog } from "./register-host-dialog";
import { TestConnectionDialog } from "./test-connection-dialog";

export function HostsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Deployments and connection tests update a host's status; keep the list current while it is open.
  const hosts = useQuery(trpc.hosts.list.queryOptions(undefined, { refetchInterval: 10_000 }));
  const [registering, setRegistering] = useState(false);
  const [testing, setTesting] = useState<string | null>(null);
  const [editing, setEditing] = useState<Host | null>(null);
  const [removing, setRemoving] = useState<Host | null>(null);
  const remove = useMutation(trpc.hosts.remove.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.hosts.list.queryKey() });
      setRemoving(null);
    },
  }));
  const register = <Button variant="primary" onClick={() => setRegistering(true)} data-testid="register-host">Register host</Button>;

  return (
    <>
      <PageHeader crumbs={[{ label: "CodeDeploy" }, { label: "On-premises instances" }]} title="On-premises instances"
        description="Linux hosts Slipway deploys to over SSH. Nothing is installed on them." />
      <Panel title="Instances" count={hosts.data?.length} flush
        actions={<>
          <Button onClick={() => hosts.refetch()} loading={hosts.isFetching && !hosts.isPending} aria-label="Refresh">Refresh</Button>
          {register}
        </>}
      >
        <QueryBody query={hosts} loading="Loading instances…" errorTitle="Could not load instances"
          empty={<EmptyState title="No on-premises instances" description="Register a host with its SSH address and a private key, then trust its host key." action={register} />}>
          {(rows) => <HostsTable hosts={rows} onTest={(h) => setTesting(h.name)} onEdit={setEditing} onRemove={(h) => { remove.reset(); setRemoving(h); }} />}
        </QueryBody>
      </Panel>
      <RegisterHostDialog open={registering} onClose={() => setRegistering(false)}
        onRegistered={(name) => { setRegistering(false); setTesting(name); }} />
      <TestConnectionDialog hostName={testing} onClose={() => setTesting(null)} />
      <EditHostDialog host={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog open={removing !== null} onClose={() => setRemoving(null)} title={`Deregister ${removing?.name ?? ""}?`}
        confirmLabel="Deregister" pending={remove.isPending} error={remove.error ? readableMessage(remove.error) : null}
        onConfirm={() => removing && remove.mutate({ name: removing.name })}>
        Slipway forgets this host and its key. Files already deployed on the host stay where they are.
      </ConfirmDialog>
    </>
  );
}
