"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { QueryBody } from "@/components/ui/query-body";
import { AlarmFormDialog } from "./alarm-form-dialog";
import { AlarmDetails } from "./alarm-details";
import { AlarmStateBadge, type Alarm } from "./alarm-state-badge";
import { AlarmsTable } from "./alarms-table";

export function AlarmsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // States move while deployments run, so the list keeps itself fresh.
  const alarms = useQuery(trpc.alarms.list.queryOptions(undefined, { refetchInterval: 5000 }));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Alarm | null>(null);
  const [removing, setRemoving] = useState<Alarm | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const selectedAlarm = alarms.data?.find((a) => a.alarmName === selected) ?? null;
  const remove = useMutation(trpc.alarms.remove.mutationOptions({
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trpc.alarms.list.queryKey() });
      setRemoving(null);
    },
  }));
  const create = <Button variant="primary" onClick={() => setCreating(true)} data-testid="create-alarm">Create alarm</Button>;

  return (
    <>
      <PageHeader crumbs={[{ label: "CodeDeploy" }, { label: "Alarms" }]} title="Alarms"
        description="Health checks Slipway runs itself: an HTTP request or a command on each host. A deployment group that lists an alarm stops its deployment when the alarm is in ALARM." />
      <Panel title="Alarms" count={alarms.data?.length} flush
        actions={<>
          <Button onClick={() => alarms.refetch()} loading={alarms.isFetching && !alarms.isPending} aria-label="Refresh">Refresh</Button>
          {create}
        </>}
      >
        <QueryBody query={alarms} loading="Loading alarms…" errorTitle="Could not load alarms"
          empty={<EmptyState title="No alarms"
            description="Create an alarm that checks a URL on each host (or runs a command over SSH), then list it in a deployment group's alarm settings."
            action={create} />}>
          {(rows) => (
            <AlarmsTable alarms={rows} selected={selected}
              onSelect={(name) => setSelected((cur) => (cur === name ? null : name))}
              onEdit={setEditing} onRemove={(a) => { remove.reset(); setRemoving(a); }} />
          )}
        </QueryBody>
      </Panel>
      {selectedAlarm && (
        <Panel testId="alarm-details" className="mt-5"
          title={<span className="flex items-center gap-2">{selectedAlarm.alarmName} <AlarmStateBadge state={selectedAlarm.state} /></span>}
          description={selectedAlarm.stateReason}
          actions={<Button size="sm" onClick={() => setSelected(null)}>Close</Button>}>
          <AlarmDetails key={selectedAlarm.alarmName} alarm={selectedAlarm} />
        </Panel>
      )}
      <AlarmFormDialog open={creating} onClose={() => setCreating(false)} />
      <AlarmFormDialog open={editing !== null} alarm={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog open={removing !== null} onClose={() => setRemoving(null)} title={`Delete alarm ${removing?.alarmName ?? ""}?`}
        pending={remove.isPending} error={remove.error ? readableMessage(remove.error) : null}
        onConfirm={() => removing && remove.mutate({ name: removing.alarmName })}>
        The alarm and its recent results are deleted. An alarm that a deployment group lists cannot be deleted; remove it from the group first.
      </ConfirmDialog>
    </>
  );
}
