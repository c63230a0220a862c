import type { InputHTMLAttributes, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { cx } from "./cx";

const BASE =
  "w-full rounded-md border bg-white px-2.5 text-sm text-slate-900 placeholder:text-slate-400 " +
  "focus:outline-2 focus:outline-offset-0 focus:outline-blue-600 disabled:bg-slate-100 disabled:text-slate-500";
const border = (invalid?: boolean) => (invalid ? "border-red-600" : "border-slate-400");

type Invalid = { invalid?: boolean };

export function Input({ className, invalid, ...rest }: InputHTMLAttributes<HTMLInputElement> & Invalid) {
  return <input aria-invalid={invalid || undefined} className={cx(BASE, "h-8", border(invalid), className)} {...rest} />;
}

export function Textarea({ className, invalid, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & Invalid) {
  return <textarea aria-invalid={invalid || undefined} className={cx(BASE, "py-1.5", border(invalid), className)} {...rest} />;
}

export function Select({ className, invalid, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & Invalid) {
  return (
    <select aria-invalid={invalid || undefined} className={cx(BASE, "h-8 pr-8", border(invalid), className)} {...rest}>
      {children}
    </select>
  );
}

export function Checkbox({ label, description, className, ...rest }: InputHTMLAttributes<HTMLInputElement> & { label: string; description?: string }) {
  return (
    <label className={cx("flex items-start gap-2 text-sm text-slate-800", className)}>
      <input type="checkbox" className="mt-0.5 size-4 accent-blue-700" {...rest} />
      <span>
        {label}
        {description && <span className="block text-xs text-slate-500">{description}</span>}
      </span>
    </label>
  );
}
