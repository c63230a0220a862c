"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";

export function UserMenu({ username }: { username: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.replace("/login");
      },
    }),
  );
  return (
    <div className="flex items-center gap-3 text-sm">
      <span className="text-slate-300">
        <span className="hidden sm:inline">Signed in as </span><span data-testid="current-user" className="font-semibold text-white">{username}</span>
      </span>
      <button
        type="button"
        data-testid="sign-out"
        onClick={() => logout.mutate()}
        disabled={logout.isPending}
        title={logout.error ? readableMessage(logout.error) : undefined}
        className="rounded-md border border-slate-500 px-2.5 py-1 text-xs font-semibold text-white hover:bg-white/10 disabled:opacity-60"
      >
        {logout.isPending ? "Signing out…" : logout.error ? "Sign out (retry)" : "Sign out"}
      </button>
    </div>
  );
}
