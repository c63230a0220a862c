import type { ReactNode } from "react";
import { readableMessage } from "@/components/lib/errors";
import { Alert } from "./alert";
import { Spinner } from "./spinner";

/**
 * The body of a flush Panel that lists a query's rows: a spinner while loading, the error,
 * `empty` when there are no rows, otherwise what `children` renders from them.
 */
export function QueryBody<T>({ query, loading, errorTitle, empty, children }: {
  query: { isPending: boolean; error: unknown; data: T[] | undefined };
  loading: string; errorTitle: string; empty: ReactNode; children: (rows: T[]) => ReactNode;
}) {
  if (query.isPending) return <div className="p-6"><Spinner className="text-slate-500" label={loading} /></div>;
  if (query.error || !query.data) return <div className="p-4"><Alert type="error" title={errorTitle}>{readableMessage(query.error)}</Alert></div>;
  return query.data.length === 0 ? empty : children(query.data);
}
