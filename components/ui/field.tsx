import type { ReactNode } from "react";
import { cx } from "./cx";

export type FieldProps = {
  label: ReactNode;
  htmlFor?: string;
  description?: ReactNode;
  constraint?: ReactNode;
  error?: string | null;
  className?: string;
  children: ReactNode;
};

/** A labelled form control with its description, constraint text and error message. */
export function Field({ label, htmlFor, description, constraint, error, className, children }: FieldProps) {
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <label htmlFor={htmlFor} className="text-sm font-semibold text-slate-900">{label}</label>
      {description && <p className="-mt-0.5 text-xs text-slate-500">{description}</p>}
      {children}
      {constraint && !error && <p className="text-xs text-slate-500">{constraint}</p>}
      {error && (
        <p role="alert" data-testid={htmlFor ? `error-${htmlFor}` : undefined} className="flex items-center gap-1 text-xs font-medium text-red-700">
          <span aria-hidden>⊗</span> {error}
        </p>
      )}
    </div>
  );
}
