/**
 * Ordered write-behind for a deployment's progress: lifecycle events and target states are
 * written in the order they happen, but the SSH work does not wait for each database round trip.
 * `drain()` is awaited before the deployment's verdict is written, so nothing is claimed as
 * complete before everything before it is stored.
 */
export function createWriteQueue() {
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  return {
    push(write: () => Promise<unknown>) {
      chain = chain.then(async () => {
        if (failure) return;
        try {
          await write();
        } catch (err) {
          failure = err;
        }
      });
    },
    async drain() {
      await chain;
      if (failure) throw failure;
    },
  };
}
export type WriteQueue = ReturnType<typeof createWriteQueue>;
