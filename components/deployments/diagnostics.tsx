import type { LifecycleEvent } from "@/components/lib/trpc";

/** What a failed lifecycle event reports, as GetDeploymentTarget's diagnostics. */
export function Diagnostics({ diagnostics }: { diagnostics: NonNullable<LifecycleEvent["diagnostics"]> }) {
  return (
    <div data-testid="event-diagnostics" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
      <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1">
        <dt className="font-semibold">Error code</dt><dd data-testid="diagnostics-error-code">{diagnostics.errorCode}</dd>
        {diagnostics.scriptName && <><dt className="font-semibold">Script name</dt><dd className="font-mono text-xs break-all">{diagnostics.scriptName}</dd></>}
        <dt className="font-semibold">Message</dt><dd data-testid="diagnostics-message" className="break-words">{diagnostics.message}</dd>
      </dl>
      {diagnostics.logTail && (
        <>
          <p className="mt-2 font-semibold">Log tail</p>
          <pre className="mt-1 max-h-48 overflow-auto rounded bg-white/70 p-2 font-mono text-xs whitespace-pre-wrap text-red-950">{diagnostics.logTail}</pre>
        </>
      )}
    </div>
  );
}
