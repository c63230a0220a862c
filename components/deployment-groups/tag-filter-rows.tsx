"use client";

import type { TagFilter } from "@/components/lib/trpc";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";

export type FilterRow = { Key: string; Value: string; Type: TagFilter["Type"] };

export const TAG_FILTER_TYPE_LABELS: Record<TagFilter["Type"], string> = {
  KEY_AND_VALUE: "Key and value",
  KEY_ONLY: "Key only",
  VALUE_ONLY: "Value only",
};

/** On-premises instance tag filter rows (a flat list: an instance matching any row is included). */
export function TagFilterRows({ rows, onChange }: { rows: FilterRow[]; onChange: (rows: FilterRow[]) => void }) {
  const set = (i: number, patch: Partial<FilterRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="flex flex-col gap-2" data-testid="tag-filters">
      <div className="grid grid-cols-[1fr_1fr_11rem_auto] gap-2 text-xs font-semibold text-slate-600">
        <span>Key</span><span>Value</span><span>Type</span><span className="w-16" />
      </div>
      {rows.map((row, i) => (
        <div key={i} className="grid grid-cols-[1fr_1fr_11rem_auto] gap-2" data-testid={`tag-filter-${i}`}>
          <Input aria-label={`Filter ${i + 1} key`} value={row.Key} disabled={row.Type === "VALUE_ONLY"}
            onChange={(e) => set(i, { Key: e.target.value })} placeholder={row.Type === "VALUE_ONLY" ? "" : "Name"} />
          <Input aria-label={`Filter ${i + 1} value`} value={row.Value} disabled={row.Type === "KEY_ONLY"}
            onChange={(e) => set(i, { Value: e.target.value })} placeholder={row.Type === "KEY_ONLY" ? "" : "web"} />
          <Select aria-label={`Filter ${i + 1} type`} value={row.Type} onChange={(e) => set(i, { Type: e.target.value as FilterRow["Type"] })}>
            {Object.entries(TAG_FILTER_TYPE_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </Select>
          <Button size="sm" className="mt-0.5 w-16" onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove</Button>
        </div>
      ))}
      <div>
        <Button size="sm" onClick={() => onChange([...rows, { Key: "", Value: "", Type: "KEY_AND_VALUE" }])} data-testid="add-tag-filter">Add tag</Button>
      </div>
    </div>
  );
}

/** The filters to send: blank rows dropped, halves the type ignores left out. */
export function toTagFilters(rows: FilterRow[]): TagFilter[] {
  return rows
    .map((r) => ({ Key: r.Key.trim(), Value: r.Value.trim(), Type: r.Type }))
    .filter((r) => (r.Type === "VALUE_ONLY" ? r.Value : r.Key))
    .map((r) =>
      r.Type === "KEY_ONLY" ? { Key: r.Key, Type: r.Type } : r.Type === "VALUE_ONLY" ? { Value: r.Value, Type: r.Type } : { Key: r.Key, Value: r.Value, Type: r.Type },
    );
}

export const fromTagFilters = (filters: TagFilter[]): FilterRow[] =>
  filters.map((f) => ({ Key: f.Key ?? "", Value: f.Value ?? "", Type: f.Type }));
