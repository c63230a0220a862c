export function TagList({ tags }: { tags: { Key: string; Value: string }[] }) {
  if (tags.length === 0) return <span className="text-slate-400">-</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {tags.map((t) => (
        <span key={`${t.Key}=${t.Value}`} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 ring-1 ring-slate-200">
          {t.Key}{t.Value ? `=${t.Value}` : ""}
        </span>
      ))}
    </span>
  );
}
