/**
 * Why a running deployment is being stopped. The first request wins: a user's stop that comes
 * after an alarm already stopped the deployment changes nothing.
 */
export type StopRequest = {
  code: "MANUAL_STOP" | "ALARM_ACTIVE";
  message: string;
  /** A user's stop-deployment --auto-rollback-enabled; undefined means "as the group says". */
  rollback?: boolean;
};

export type RunControl = {
  readonly signal: AbortSignal;
  stopRequest(): StopRequest | null;
  stop(request: StopRequest): boolean;
};

export function createRunControl(): RunControl {
  const abort = new AbortController();
  let request: StopRequest | null = null;
  return {
    signal: abort.signal,
    stopRequest: () => request,
    stop(r) {
      if (request) return false;
      request = r;
      abort.abort();
      return true;
    },
  };
}

/** Resolves after `ms`, or early when the signal aborts (a bake time cut short by a stop). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
