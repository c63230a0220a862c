import { cx } from "@/components/ui/cx";

/** Key=Value chips; `compact` (narrow table cells) shrinks them and cuts long ones, full text in the title. */
export function TagList({ tags, compact }: { tags: { Key: string; Value: string }[]; compact?: boolean }) {
  if (tags.length === 0) return <span className="text-slate-400">-</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {tags.map((t) => {
        const text = `${t.Key}${t.Value ? `=${t.Value}` : ""}`;
        return (
          <span key={text} title={compact ? text : undefined}
            className={cx("rounded bg-slate-100 font-mono text-slate-700 ring-1 ring-slate-200", compact ? "max-w-full truncate px-1 text-[11px] leading-4" : "px-1.5 py-0.5 text-xs")}>
            {text}
          </span>
        );
      })}
    </span>
  );
}
