import type { ReactNode } from "react";
import { cx } from "./cx";

type AlertType = "error" | "warning" | "info" | "success";

const STYLES: Record<AlertType, string> = {
  error: "border-red-600 bg-red-50 text-red-900",
  warning: "border-amber-500 bg-amber-50 text-amber-900",
  info: "border-blue-600 bg-blue-50 text-blue-900",
  success: "border-green-600 bg-green-50 text-green-900",
};

export function Alert({ type = "error", title, children, action, className }: {
  type?: AlertType; title?: ReactNode; children?: ReactNode; action?: ReactNode; className?: string;
}) {
  return (
    <div role={type === "error" ? "alert" : "status"} className={cx("flex items-start gap-3 rounded-md border-l-4 px-4 py-3 text-sm", STYLES[type], className)}>
      <div className="min-w-0 flex-1">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className="break-words">{children}</div>}
      </div>
      {action}
    </div>
  );
}
