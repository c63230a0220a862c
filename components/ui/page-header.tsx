import Link from "next/link";
import type { ReactNode } from "react";

export type Crumb = { label: string; href?: string };

/** Breadcrumbs, page title and page-level actions, as at the top of a console page. */
export function PageHeader({ crumbs, title, docTitle, description, actions }: {
  crumbs?: Crumb[]; title: ReactNode; docTitle?: string; description?: ReactNode; actions?: ReactNode;
}) {
  const tabTitle = docTitle ?? (typeof title === "string" ? title : null);
  return (
    <div className="mb-5">
      {/* React 19 hoists <title> into <head>. */}
      {tabTitle && <title>{`${tabTitle} | Slipway`}</title>}
      {crumbs && crumbs.length > 0 && (
        <nav aria-label="Breadcrumb" className="mb-2 flex flex-wrap items-center gap-1 text-sm text-slate-500">
          {crumbs.map((c, i) => (
            <span key={`${c.label}-${i}`} className="flex items-center gap-1">
              {i > 0 && <span aria-hidden className="text-slate-400">›</span>}
              {c.href ? <Link href={c.href} className="text-blue-700 hover:underline">{c.label}</Link> : <span>{c.label}</span>}
            </span>
          ))}
        </nav>
      )}
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold break-all text-slate-900">{title}</h1>
          {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
        </div>
        {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
      </div>
    </div>
  );
}
