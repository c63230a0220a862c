"use client";

import { CONTENT_OPTIONS } from "@/components/lib/content-options";
import type { FileExistsBehavior } from "@/components/lib/trpc";

export function ContentOptionRadios({ name, value, onChange }: {
  name: string; value: FileExistsBehavior; onChange: (v: FileExistsBehavior) => void;
}) {
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1 text-sm font-semibold text-slate-900">Content options</legend>
      <p className="-mt-1 mb-1 text-xs text-slate-500">
        Choose what happens when a file that is not part of the previous deployment already exists at the destination.
      </p>
      {CONTENT_OPTIONS.map((o) => (
        <label key={o.value} className="flex items-start gap-2 text-sm">
          <input type="radio" name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)}
            data-testid={`content-option-${o.value}`} className="mt-1 accent-blue-700" />
          <span>
            <span className="font-medium text-slate-900">{o.label}</span>
            <span className="block text-xs text-slate-500">{o.description}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
