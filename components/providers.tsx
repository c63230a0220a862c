"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { errorCode, isUnauthorized } from "./lib/errors";
import type { AppRouter } from "@/server/api/root";
import { TRPCProvider } from "./lib/trpc";
import { loginHref } from "./lib/login-href";

function apiUrl() {
  // Relative in the browser: the custom server serves tRPC, socket.io and Next on one origin.
  if (typeof window !== "undefined") return "/api/trpc";
  return `http://localhost:${process.env.PORT ?? 3000}/api/trpc`;
}

/** A signed-out session sends the operator to the sign-in page, then back to where they were. */
function onAuthError(error: unknown) {
  if (typeof window === "undefined" || !isUnauthorized(error)) return;
  if (window.location.pathname === "/login") return;
  window.location.assign(loginHref(window.location.pathname + window.location.search));
}

function makeQueryClient() {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onAuthError }),
    mutationCache: new MutationCache({ onError: onAuthError }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: true,
        // Client errors (not found, bad input, signed out) will not change on retry.
        retry: (failureCount, error) => {
          const code = errorCode(error);
          if (code && code !== "INTERNAL_SERVER_ERROR" && code !== "TIMEOUT") return false;
          return failureCount < 2;
        },
      },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: apiUrl(), transformer: superjson, fetch: (url, init) => fetch(url, { ...init, credentials: "same-origin" }) })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
