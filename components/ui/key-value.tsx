import type { ReactNode } from "react";

export type KeyValueItem = { label: string; value: ReactNode; testId?: string };

/** The console's "details" grid: label over value, in columns. */
export function KeyValueGrid({ items, columns = 3 }: { items: KeyValueItem[]; columns?: 2 | 3 | 4 }) {
  const cols = { 2: "sm:grid-cols-2", 3: "sm:grid-cols-2 lg:grid-cols-3", 4: "sm:grid-cols-2 lg:grid-cols-4" }[columns];
  return (
    <dl className={`grid grid-cols-1 gap-x-8 gap-y-4 ${cols}`}>
      {items.map((item) => (
        <div key={item.label} className="min-w-0">
          <dt className="text-sm font-semibold text-slate-600">{item.label}</dt>
          <dd data-testid={item.testId} className="mt-0.5 text-sm break-words text-slate-900">{item.value ?? "-"}</dd>
        </div>
      ))}
    </dl>
  );
}
