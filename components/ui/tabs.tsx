"use client";

import type { KeyboardEvent } from "react";
import { cx } from "./cx";

export type TabItem<T extends string> = { id: T; label: string; count?: number };

/** A tab strip; the caller renders the selected panel (keeps each tab's data fetching lazy). */
export function Tabs<T extends string>({ items, value, onChange, label }: {
  items: TabItem<T>[]; value: T; onChange: (id: T) => void; label: string;
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const i = items.findIndex((t) => t.id === value);
    const next = items[(i + (e.key === "ArrowRight" ? 1 : items.length - 1)) % items.length];
    onChange(next.id);
  };
  return (
    <div role="tablist" aria-label={label} onKeyDown={onKeyDown} className="mb-4 flex gap-1 border-b border-slate-300">
      {items.map((tab) => {
        const selected = tab.id === value;
        return (
          <button
            key={tab.id}
            role="tab"
            type="button"
            aria-selected={selected}
            tabIndex={selected ? 0 : -1}
            data-testid={`tab-${tab.id}`}
            onClick={() => onChange(tab.id)}
            className={cx(
              "-mb-px border-b-[3px] px-4 py-2 text-sm font-semibold transition-colors",
              selected ? "border-blue-700 text-blue-800" : "border-transparent text-slate-600 hover:text-slate-900",
            )}
          >
            {tab.label}
            {tab.count !== undefined && <span className="ml-1 font-normal text-slate-500">({tab.count})</span>}
          </button>
        );
      })}
    </div>
  );
}
