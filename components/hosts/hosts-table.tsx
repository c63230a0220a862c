"use client";

import type { Host } from "@/components/lib/trpc";
import { formatTime } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { TagList } from "./tag-list";

export function HostsTable({ hosts, onTest, onEdit, onRemove }: {
  hosts: Host[]; onTest?: (h: Host) => void; onEdit?: (h: Host) => void; onRemove?: (h: Host) => void;
}) {
  const actions = onTest || onEdit || onRemove;
  return (
    <Table>
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Address</TH>
          <TH>User</TH>
          <TH>Tags</TH>
          <TH>Status</TH>
          <TH>Host key fingerprint</TH>
          <TH>Last seen</TH>
          {actions && <TH className="text-right">Actions</TH>}
        </tr>
      </THead>
      <tbody>
        {hosts.map((h) => (
          <TR key={h.id} data-testid={`host-row-${h.name}`}>
            <TD className="font-semibold whitespace-nowrap">{h.name}</TD>
            <TD className="font-mono text-xs whitespace-nowrap">{h.address}:{h.port}</TD>
            <TD>{h.username}</TD>
            <TD><TagList tags={h.tags} /></TD>
            <TD>
              <StatusBadge status={h.lastStatus} testId={`host-status-${h.name}`} />
              {h.lastError && <p title={h.lastError} className="mt-1 line-clamp-2 max-w-48 text-xs break-words text-red-700">{h.lastError}</p>}
            </TD>
            <TD>
              {h.fingerprint
                ? <code title={h.fingerprint} data-testid={`host-fingerprint-${h.name}`} className="block max-w-48 truncate font-mono text-xs text-slate-700">{h.fingerprint}</code>
                : <span className="text-xs text-amber-700">Not trusted yet</span>}
            </TD>
            <TD className="whitespace-nowrap text-slate-600">{formatTime(h.lastSeenAt)}</TD>
            {actions && (
              <TD className="text-right whitespace-nowrap">
                <div className="flex justify-end gap-1">
                  {onTest && <Button size="sm" onClick={() => onTest(h)} data-testid={`test-connection-${h.name}`}>Test connection</Button>}
                  {onEdit && <Button size="sm" onClick={() => onEdit(h)} data-testid={`edit-host-${h.name}`}>Edit</Button>}
                  {onRemove && <Button size="sm" onClick={() => onRemove(h)} data-testid={`remove-host-${h.name}`}>Deregister</Button>}
                </div>
              </TD>
            )}
          </TR>
        ))}
      </tbody>
    </Table>
  );
}
