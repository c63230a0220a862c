"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { readableMessage } from "@/components/lib/errors";
import { useTRPC } from "@/components/lib/trpc";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";

function Fingerprint({ label, value, testId, tone }: { label: string; value: string; testId: string; tone?: "red" | "green" }) {
  const color = tone === "red" ? "border-red-300 bg-red-50" : tone === "green" ? "border-green-300 bg-green-50" : "border-slate-200 bg-slate-50";
  return (
    <div>
      <p className="text-xs font-semibold text-slate-600">{label}</p>
      <code data-testid={testId} className={`mt-1 block rounded border px-2 py-1.5 font-mono text-xs break-all ${color}`}>{value}</code>
    </div>
  );
}

/**
 * Connects to the host and shows the SHA256 host-key fingerprint it presents. A host is refused
 * for deployments until an operator trusts (pins) a fingerprint here.
 */
export function TestConnectionDialog({ hostName, onClose }: { hostName: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const test = useMutation(trpc.hosts.testConnection.mutationOptions({
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.hosts.list.queryKey() }),
  }));
  const trust = useMutation(trpc.hosts.trust.mutationOptions({
    onSuccess: async (_d, input) => {
      await queryClient.invalidateQueries({ queryKey: trpc.hosts.list.queryKey() });
      test.mutate({ name: input.name });
    },
  }));
  const started = useRef<string | null>(null);

  useEffect(() => {
    if (hostName && started.current !== hostName) {
      started.current = hostName;
      test.reset(); trust.reset();
      test.mutate({ name: hostName });
    }
    if (!hostName) started.current = null;
  }, [hostName, test, trust]);

  const result = test.data;
  const seen = result?.fingerprint ?? null;
  const mismatch = !!(result?.pinned && seen && result.pinned !== seen);
  const untrusted = !!(result && !result.pinned && seen);
  // Connected to the right key but something else failed (authentication, a command): not a key problem.
  const otherFailure = !!(result && !result.matches && !mismatch && !untrusted);
  return (
    <Dialog open={hostName !== null} onClose={onClose} title={`Test connection: ${hostName ?? ""}`} testId="test-connection-dialog"
      footer={<>
        <Button onClick={() => hostName && test.mutate({ name: hostName })} disabled={test.isPending}>Test again</Button>
        <Button variant="link" onClick={onClose}>Close</Button>
      </>}
    >
      <div className="flex flex-col gap-4 text-sm">
        {test.isPending && <Spinner className="text-slate-600" label="Connecting over SSH…" />}
        {test.error && <Alert type="error" title="Connection failed">{readableMessage(test.error)}</Alert>}
        {result && (
          <>
            {result.matches && <Alert type="success" title="Connected; host key trusted">{result.message}</Alert>}
            {otherFailure && <Alert type="error" title="Connection failed">{result.message}</Alert>}
            {untrusted && (
              <Alert type="warning" title="This host key is not trusted yet">
                {result.message} Compare it with the host&apos;s own key (<code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before trusting it.
              </Alert>
            )}
            {mismatch && (
              <Alert type="error" title="Host key mismatch">
                The host presented a different key than the one pinned. This happens after the host was reinstalled, or when
                something is intercepting the connection. Deployments to this host are refused until you trust a key.
              </Alert>
            )}
            {seen && (
              <Fingerprint label={mismatch ? "Presented by the host now" : "Host key fingerprint (SHA256)"} value={seen}
                testId="presented-fingerprint" tone={mismatch ? "red" : result.matches ? "green" : undefined} />
            )}
            {mismatch && result.pinned && <Fingerprint label="Pinned (trusted earlier)" value={result.pinned} testId="pinned-fingerprint" />}
            {(untrusted || mismatch) && seen && (
              <div className="flex items-center gap-3">
                <Button variant={mismatch ? "danger" : "primary"} loading={trust.isPending} data-testid="trust-fingerprint"
                  onClick={() => hostName && trust.mutate({ name: hostName, fingerprint: seen })}>
                  {mismatch ? "Trust the new fingerprint" : "Trust this fingerprint"}
                </Button>
              </div>
            )}
            {trust.error && <Alert type="error" title="Could not trust the fingerprint">{readableMessage(trust.error)}</Alert>}
          </>
        )}
      </div>
    </Dialog>
  );
}
