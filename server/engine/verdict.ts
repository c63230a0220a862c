export const ONE_AT_A_TIME = "CodeDeployDefault.OneAtATime";
export const ALL_AT_ONCE = "CodeDeployDefault.AllAtOnce";

/** CodeDeployDefault.AllAtOnce: every host at once; it succeeds when at least one host does. */
export function allAtOnceVerdict(results: readonly HostResult[]): "Succeeded" | "Failed" | "Stopped" {
  if (results.includes("Stopped")) return "Stopped";
  return results.includes("Succeeded") ? "Succeeded" : "Failed";
}

/**
 * The rules of CodeDeployDefault.OneAtATime: hosts go one at a time; a failure stops the
 * deployment unless it is the last host's, and at least one host must succeed.
 */
export type HostResult = "Succeeded" | "Failed" | "Stopped";

/** After the results so far (in host order), does the next host start? */
export function shouldContinue(results: readonly HostResult[], hostCount: number): boolean {
  if (results.length >= hostCount) return false;
  return results.every((r) => r === "Succeeded");
}

export function finalVerdict(results: readonly HostResult[], hostCount: number): "Succeeded" | "Failed" | "Stopped" {
  if (results.includes("Stopped")) return "Stopped";
  if (results.length < hostCount) return "Failed";
  const failed = results.filter((r) => r === "Failed").length;
  if (failed === 0) return "Succeeded";
  const onlyLastFailed = failed === 1 && results[results.length - 1] === "Failed";
  return onlyLastFailed && hostCount > 1 ? "Succeeded" : "Failed";
}
