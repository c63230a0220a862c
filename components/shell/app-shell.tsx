"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { isUnauthorized, readableMessage } from "@/components/lib/errors";
import { loginHref } from "@/components/lib/login-href";
import { useTRPC } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { SideNav } from "./side-nav";
import { Logo } from "./logo";
import { UserMenu } from "./user-menu";

/** The signed-in console: top bar, left navigation, and the page. Signed out -> /login?next=... */
export function AppShell({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000, retry: false }));
  const signedOut = isUnauthorized(me.error);

  useEffect(() => {
    if (signedOut) window.location.replace(loginHref(window.location.pathname + window.location.search));
  }, [signedOut]);

  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-20 flex h-12 items-center justify-between bg-[#232f3e] px-4 text-white">
        <Link href="/applications" className="flex items-center gap-2 font-bold">
          <Logo className="size-7" /> Slipway
          <span className="hidden font-normal text-slate-300 sm:inline">· CodeDeploy, agentless</span>
        </Link>
        {me.data && <UserMenu username={me.data.username} />}
      </header>
      <div className="border-b border-slate-200 bg-white md:hidden">
        <SideNav compact />
      </div>
      <div className="flex flex-1">
        <aside className="hidden w-56 shrink-0 border-r border-slate-200 bg-white md:block">
          <SideNav />
        </aside>
        <main className="min-w-0 flex-1 px-4 py-6 sm:px-8">
          <div className="mx-auto max-w-7xl">
            {me.isPending || signedOut ? (
              <Spinner className="text-slate-500" label={signedOut ? "Redirecting to sign in…" : "Loading…"} />
            ) : me.error ? (
              <Alert type="error" title="Cannot reach the Slipway server" action={<Button size="sm" onClick={() => me.refetch()}>Retry</Button>}>
                {readableMessage(me.error)}
              </Alert>
            ) : (
              children
            )}
          </div>
        </main>
      </div>
    </div>
  );
}
