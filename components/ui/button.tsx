import type { ButtonHTMLAttributes } from "react";
import { cx } from "./cx";
import { Spinner } from "./spinner";

export type ButtonVariant = "primary" | "normal" | "danger" | "link";

const VARIANTS: Record<ButtonVariant, string> = {
  primary: "bg-brand text-white border-brand hover:bg-brand-dark hover:border-brand-dark shadow-sm",
  normal: "bg-white text-slate-800 border-slate-400 hover:bg-slate-50 hover:border-slate-600",
  danger: "bg-red-600 text-white border-red-600 hover:bg-red-700 hover:border-red-700 shadow-sm",
  link: "border-transparent bg-transparent text-blue-700 hover:underline px-1",
};

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  size?: "sm" | "md";
  loading?: boolean;
};

export function Button({ variant = "normal", size = "md", loading, disabled, className, children, type = "button", ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      className={cx(
        "inline-flex items-center justify-center gap-2 rounded-full border font-semibold whitespace-nowrap transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600",
        "disabled:cursor-not-allowed disabled:opacity-50",
        size === "sm" ? "h-7 px-3 text-xs" : "h-8 px-4 text-sm",
        VARIANTS[variant],
        className,
      )}
      {...rest}
    >
      {loading && <Spinner />}
      {children}
    </button>
  );
}
