"use client";

import type { Host } from "@/components/lib/trpc";
import { formatShortTime, formatTime } from "@/components/lib/format";
import { cx } from "@/components/ui/cx";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, TD, TH, THead, TR } from "@/components/ui/table";
import { TagList } from "./tag-list";

const ACTION = "h-7 px-2 text-xs font-semibold focus-visible:relative focus-visible:outline-2 focus-visible:outline-blue-600";

/**
 * On-premises instances. A fixed layout keeps the actions inside the panel at 1280 px: the
 * fingerprint and long tags are cut with their full text in the title (the fingerprint cell
 * still holds all of it, for copying); below the minimum width the panel scrolls instead.
 */
export function HostsTable({ hosts, onTest, onEdit, onRemove }: {
  hosts: Host[]; onTest?: (h: Host) => void; onEdit?: (h: Host) => void; onRemove?: (h: Host) => void;
}) {
  const actions = onTest || onEdit || onRemove;
  return (
    <Table className="min-w-[54rem] table-fixed [&_td]:px-3 [&_th]:px-3 [&_th]:whitespace-normal">
      <THead>
        <tr>
          <TH>Name</TH>
          <TH className="w-34">Address</TH>
          <TH className="w-18">User</TH>
          <TH>Tags</TH>
          <TH className="w-36">Status</TH>
          <TH className="w-28">Host key fingerprint</TH>
          <TH className="w-26">Last seen</TH>
          {actions && <TH className="w-46 text-right">Actions</TH>}
        </tr>
      </THead>
      <tbody>
        {hosts.map((h) => (
          <TR key={h.id} data-testid={`host-row-${h.name}`}>
            <TD className="font-semibold break-words">{h.name}</TD>
            <TD className="font-mono text-xs wrap-anywhere">{h.address}<wbr />:{h.port}</TD>
            <TD className="truncate text-xs" title={h.username}>{h.username}</TD>
            <TD><TagList tags={h.tags} compact /></TD>
            <TD>
              <StatusBadge status={h.lastStatus} testId={`host-status-${h.name}`} />
              {h.lastError && <p title={h.lastError} className="mt-1 line-clamp-2 text-xs break-words text-red-700">{h.lastError}</p>}
            </TD>
            <TD>
              {h.fingerprint
                ? <code title={h.fingerprint} data-testid={`host-fingerprint-${h.name}`} className="block truncate font-mono text-xs text-slate-700">{h.fingerprint}</code>
                : <span className="text-xs text-amber-700">Not trusted yet</span>}
            </TD>
            <TD className="text-xs whitespace-nowrap text-slate-600" title={h.lastSeenAt ? formatTime(h.lastSeenAt) : undefined}>
              {h.lastSeenAt ? formatShortTime(h.lastSeenAt) : "Never"}
            </TD>
            {actions && (
              <TD className="text-right">
                <div role="group" aria-label={`Actions for ${h.name}`}
                  className="inline-flex divide-x divide-slate-300 overflow-hidden rounded-full border border-slate-400 bg-white whitespace-nowrap">
                  {onTest && <button type="button" className={cx(ACTION, "text-slate-800 hover:bg-slate-50")} onClick={() => onTest(h)} data-testid={`test-connection-${h.name}`}
                    title="Test connection" aria-label={`Test connection to ${h.name}`}>Test</button>}
                  {onEdit && <button type="button" className={cx(ACTION, "text-slate-800 hover:bg-slate-50")} onClick={() => onEdit(h)} data-testid={`edit-host-${h.name}`}
                    aria-label={`Edit ${h.name}`}>Edit</button>}
                  {onRemove && <button type="button" className={cx(ACTION, "text-red-700 hover:bg-red-50")} onClick={() => onRemove(h)} data-testid={`remove-host-${h.name}`}
                    aria-label={`Deregister ${h.name}`}>Deregister</button>}
                </div>
              </TD>
            )}
          </TR>
        ))}
      </tbody>
    </Table>
  );
}
