import { cx } from "./cx";

export function Spinner({ className, label }: { className?: string; label?: string }) {
  return (
    <span role="status" className={cx("inline-flex items-center gap-2", className)}>
      <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />
      {label ? <span>{label}</span> : <span className="sr-only">Loading</span>}
    </span>
  );
}
