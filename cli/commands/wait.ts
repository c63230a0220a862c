import { setTimeout as sleep } from "node:timers/promises";
import { defineCommand } from "../lib/command";
import { CliError, EXIT, UsageError } from "../lib/errors";
import { DEPLOYMENT_ID } from "../lib/options";

const FAILED = ["Failed", "Stopped"];

/** `aws deploy wait deployment-successful`, polling every second instead of every 15. */
export const waitDeploymentSuccessful = defineCommand({
  name: "wait deployment-successful",
  operation: "GetDeployment",
  summary: "Wait until a deployment succeeds (exit 0) or fails or stops (exit 255).",
  options: {
    "deployment-id": DEPLOYMENT_ID,
    timeout: { type: "string", placeholder: "seconds", description: "Give up after this long (default 3600)." },
    delay: { type: "string", placeholder: "seconds", description: "Seconds between polls (default 1)." },
  },
  async run(o, env) {
    const seconds = (name: "timeout" | "delay", fallback: number) => {
      const v = o[name] === undefined ? fallback : Number(o[name]);
      if (!Number.isFinite(v) || v < 0) throw new UsageError(`argument --${name}: expected a number of seconds, got '${o[name]}'`);
      return v;
    };
    const timeoutMs = seconds("timeout", 3600) * 1000;
    const delayMs = Math.max(0.1, seconds("delay", 1)) * 1000;
    const api = await env.api();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { deploymentInfo: d } = await api.deployments.get.query({ deploymentId: o["deployment-id"]! });
      if (d.status === "Succeeded") return EXIT.OK;
      if (FAILED.includes(d.status)) {
        const why = d.errorInformation ? `\n${d.errorInformation.code}: ${d.errorInformation.message}` : "";
        throw new CliError(
          `Waiter DeploymentSuccessful failed: Waiter encountered a terminal failure state: For expression "deploymentInfo.status" we matched expected path: "${d.status}"${why}`,
          EXIT.SERVICE,
        );
      }
      if (Date.now() + delayMs > deadline)
        throw new CliError(`Waiter DeploymentSuccessful failed: Max attempts exceeded (still ${d.status} after ${timeoutMs / 1000} s)`, EXIT.SERVICE);
      await sleep(delayMs);
    }
  },
});
