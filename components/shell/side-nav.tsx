"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";

const ITEMS = [
  { href: "/applications", label: "Applications", testId: "nav-applications" },
  { href: "/deployments", label: "Deployments", testId: "nav-deployments" },
  { href: "/hosts", label: "On-premises instances", testId: "nav-hosts" },
  { href: "/alarms", label: "Alarms", testId: "nav-alarms" },
];

export function SideNav({ compact }: { compact?: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className={compact ? "flex gap-1 overflow-x-auto px-2 py-1.5" : "flex flex-col gap-0.5 px-3 py-4"}>
      {!compact && <p className="px-3 pb-2 text-xs font-bold tracking-wide text-slate-500 uppercase">CodeDeploy</p>}
      {ITEMS.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            data-testid={compact ? undefined : item.testId}
            aria-current={active ? "page" : undefined}
            className={cx(
              "rounded-md px-3 py-1.5 text-sm whitespace-nowrap",
              active ? "bg-blue-50 font-semibold text-blue-800" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
            )}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
