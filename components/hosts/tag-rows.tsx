"use client";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export type TagRow = { Key: string; Value: string };

/** Key/value tag rows with add and remove, as in "Add tags" on the console. */
export function TagRows({ rows, onChange, idPrefix, error }: {
  rows: TagRow[]; onChange: (rows: TagRow[]) => void; idPrefix: string; error?: string | null;
}) {
  const set = (i: number, patch: Partial<TagRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="flex flex-col gap-2">
      {rows.length > 0 && (
        <div className="grid grid-cols-[1fr_1fr_auto] gap-2 text-xs font-semibold text-slate-600">
          <span>Key</span>
          <span>Value</span>
          <span className="w-16" />
        </div>
      )}
      {rows.map((row, i) => (
        <div key={i} className="grid grid-cols-[1fr_1fr_auto] gap-2">
          <Input aria-label={`Tag ${i + 1} key`} id={`${idPrefix}-key-${i}`} value={row.Key} onChange={(e) => set(i, { Key: e.target.value })} placeholder="Name" />
          <Input aria-label={`Tag ${i + 1} value`} id={`${idPrefix}-value-${i}`} value={row.Value} onChange={(e) => set(i, { Value: e.target.value })} placeholder="web" />
          <Button size="sm" className="mt-0.5 w-16" onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove</Button>
        </div>
      ))}
      {rows.length === 0 && <p className="text-sm text-slate-500">No tags. Deployment groups find instances by their tags.</p>}
      {error && <p role="alert" className="text-xs font-medium text-red-700">{error}</p>}
      <div>
        <Button size="sm" onClick={() => onChange([...rows, { Key: "", Value: "" }])} data-testid={`${idPrefix}-add`}>Add tag</Button>
      </div>
    </div>
  );
}

/** Rows with an empty key are dropped; an empty value is a valid tag value. */
export const cleanTags = (rows: TagRow[]) => rows.map((r) => ({ Key: r.Key.trim(), Value: r.Value.trim() })).filter((r) => r.Key);
