import type { ReactNode } from "react";
import { cx } from "./cx";

/** A console "container": a white card with a header (title, count, description, actions). */
export function Panel({ title, count, description, actions, children, className, flush, testId }: {
  title?: ReactNode; count?: number; description?: ReactNode; actions?: ReactNode;
  children: ReactNode; className?: string; flush?: boolean; testId?: string;
}) {
  return (
    <section data-testid={testId} className={cx("rounded-xl border border-slate-200 bg-white shadow-sm", className)}>
      {(title || actions) && (
        <header className="flex flex-wrap items-start justify-between gap-3 px-5 pt-4 pb-3">
          <div className="min-w-0">
            <h2 className="text-lg font-bold text-slate-900">
              {title}
              {count !== undefined && <span className="ml-1.5 font-normal text-slate-500">({count})</span>}
            </h2>
            {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
          </div>
          {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
        </header>
      )}
      <div className={flush ? "border-t border-slate-200" : "px-5 pb-5"}>{children}</div>
    </section>
  );
}
