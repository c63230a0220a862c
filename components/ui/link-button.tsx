import Link from "next/link";
import type { ComponentProps } from "react";
import { cx } from "./cx";

/** A link that looks like a Button (for navigation actions such as "Create deployment"). */
export function LinkButton({ variant = "normal", size = "md", className, ...rest }: ComponentProps<typeof Link> & {
  variant?: "primary" | "normal"; size?: "sm" | "md";
}) {
  return (
    <Link
      className={cx(
        "inline-flex items-center justify-center rounded-full border font-semibold whitespace-nowrap transition-colors",
        size === "sm" ? "h-7 px-3 text-xs" : "h-8 px-4 text-sm",
        variant === "primary"
          ? "border-brand bg-brand text-white shadow-sm hover:border-brand-dark hover:bg-brand-dark"
          : "border-slate-400 bg-white text-slate-800 hover:border-slate-600 hover:bg-slate-50",
        className,
      )}
      {...rest}
    />
  );
}
