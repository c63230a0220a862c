import type { ReactNode } from "react";
import { cx } from "./cx";

export type Tone = "green" | "red" | "blue" | "grey" | "muted" | "neutral" | "amber";

const TONES: Record<Tone, { text: string; dot: string }> = {
  green: { text: "text-green-800 bg-green-50 ring-green-600/30", dot: "bg-green-600" },
  red: { text: "text-red-800 bg-red-50 ring-red-600/30", dot: "bg-red-600" },
  blue: { text: "text-blue-800 bg-blue-50 ring-blue-600/30", dot: "bg-blue-600 animate-pulse" },
  grey: { text: "text-slate-700 bg-slate-200 ring-slate-500/30", dot: "bg-slate-600" },
  muted: { text: "text-slate-400 bg-white ring-slate-300", dot: "bg-slate-300" },
  neutral: { text: "text-slate-700 bg-slate-50 ring-slate-400/40", dot: "bg-slate-400" },
  amber: { text: "text-amber-800 bg-amber-50 ring-amber-600/30", dot: "bg-amber-500" },
};

export type BadgeProps = { tone: Tone; children: ReactNode; className?: string; title?: string; "data-testid"?: string; "data-status"?: string };

export function Badge({ tone, children, className, ...rest }: BadgeProps) {
  const t = TONES[tone];
  return (
    <span className={cx("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset whitespace-nowrap", t.text, className)} {...rest}>
      <span aria-hidden className={cx("size-1.5 rounded-full", t.dot)} />
      {children}
    </span>
  );
}
