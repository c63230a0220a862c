"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { readableMessage } from "@/components/lib/errors";
import { formatTime } from "@/components/lib/format";
import { useTRPC } from "@/components/lib/trpc";
import { deploymentHref } from "@/components/lib/use-param";
import { Alert } from "@/components/ui/alert";
import { cx } from "@/components/ui/cx";
import { Spinner } from "@/components/ui/spinner";

const tone = (type: string) =>
  /Fail|Stopped|Alarm|Mismatch/i.test(type) ? "bg-red-600" : /Succeed|Complete/i.test(type) ? "bg-green-600" : /Rollback/i.test(type) ? "bg-amber-500" : "bg-blue-600";

/** A message with every other deployment's id (a rollback, the deployment it rolls back) as a link. */
function MessageWithLinks({ text, self }: { text: string; self: string }) {
  return text.split(/(d-[A-Z0-9]{9})/).map((part, i) =>
    i % 2 === 1 && part !== self
      ? <Link key={i} href={deploymentHref(part)} className="font-mono text-blue-700 underline">{part}</Link>
      : part);
}

/** What happened to the deployment, in order: created, started, each host, rollback, the verdict. */
export function DeploymentTimeline({ deploymentId }: { deploymentId: string }) {
  const trpc = useTRPC();
  const timeline = useQuery(trpc.deployments.timeline.queryOptions({ deploymentId }));
  if (timeline.isPending) return <Spinner className="text-slate-500" label="Loading the timeline…" />;
  if (timeline.error) return <Alert type="error">{readableMessage(timeline.error)}</Alert>;
  if (timeline.data.length === 0) return <p className="text-sm text-slate-500">Nothing has happened yet.</p>;
  return (
    <ol className="relative flex flex-col gap-3 border-l border-slate-200 pl-5" data-testid="deployment-timeline">
      {timeline.data.map((e) => (
        <li key={e.id} className="relative text-sm" data-type={e.type}>
          <span aria-hidden className={cx("absolute top-1.5 -left-[1.55rem] size-2.5 rounded-full ring-4 ring-white", tone(e.type))} />
          <p className="flex flex-wrap items-baseline gap-x-2">
            <span className="font-semibold text-slate-900">{e.type}</span>
            {e.targetId && <span className="text-slate-600">{e.targetId}{e.lifecycleEvent ? ` · ${e.lifecycleEvent}` : ""}</span>}
            <span className="text-xs text-slate-500">{formatTime(e.at)}</span>
          </p>
          <p className="break-words text-slate-700"><MessageWithLinks text={e.message} self={deploymentId} /></p>
        </li>
      ))}
    </ol>
  );
}
