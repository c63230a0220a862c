"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { readableMessage } from "@/components/lib/errors";
import { plural } from "@/components/lib/format";
import { useTRPC, type TagFilter } from "@/components/lib/trpc";
import { TagList } from "@/components/hosts/tag-list";
import { Alert } from "@/components/ui/alert";
import { Spinner } from "@/components/ui/spinner";
import { StatusBadge } from "@/components/ui/status-badge";

/** Instances the filters select, refreshed as the operator types (debounced). */
export function MatchingInstances({ filters }: { filters: TagFilter[] }) {
  const trpc = useTRPC();
  const [debounced, setDebounced] = useState(filters);
  const serialized = JSON.stringify(filters);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(JSON.parse(serialized) as TagFilter[]), 250);
    return () => clearTimeout(id);
  }, [serialized]);
  const matching = useQuery(trpc.deploymentGroups.matchingHosts.queryOptions(
    { onPremisesTagFilters: debounced },
    { enabled: debounced.length > 0, placeholderData: keepPreviousData },
  ));
  const hosts = debounced.length > 0 ? matching.data : [];

  return (
    <div data-testid="matching-instances" className="rounded-lg border border-slate-200 bg-slate-50 p-3">
      <p className="mb-2 flex items-center gap-2 text-sm font-semibold text-slate-800">
        Matching instances
        {hosts && <span data-testid="matching-count" className="font-normal text-slate-600">
          {plural(hosts.length, "unique matched instance")}
        </span>}
        {matching.isFetching && <Spinner className="text-slate-500" />}
      </p>
      {matching.error ? (
        <Alert type="error">{readableMessage(matching.error)}</Alert>
      ) : debounced.length === 0 ? (
        <p className="text-sm text-slate-500">Add a tag filter to select on-premises instances.</p>
      ) : hosts && hosts.length === 0 ? (
        <p className="text-sm text-slate-500">No registered instance matches these tags. A deployment to this group would fail with NO_INSTANCES.</p>
      ) : hosts ? (
        <ul className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
          {hosts.map((h) => (
            <li key={h.name} data-testid={`matching-host-${h.name}`} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 text-sm">
              <span className="font-semibold">{h.name}</span>
              <span className="font-mono text-xs text-slate-600">{h.address}:{h.port}</span>
              <TagList tags={h.tags} />
              <span className="ml-auto"><StatusBadge status={h.lastStatus} /></span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
