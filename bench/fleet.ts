// The bench's world in Slipway: the test hosts registered with tags, one application, and a
// deployment group per scenario; and the check that every run really delivered to every host.
import fs from "node:fs";
import type { Backend } from "../test/support/backend";
import { loginOf, type TestHosts } from "../test/support/test-hosts";
import { APP, ROLLBACK_SCENARIOS, SCENARIOS } from "./config";

/** The 1-host scenarios target the first host by name, the others the whole fleet by tag. */
const tagFilters = (hosts: number) =>
  hosts === 1 ? [{ Key: "Name", Value: "bench-1", Type: "KEY_AND_VALUE" as const }] : [{ Key: "Fleet", Value: "bench", Type: "KEY_AND_VALUE" as const }];

export async function registerFleet(b: Backend, f: TestHosts): Promise<void> {
  for (const [i, h] of f.hosts.entries())
    await b.caller.hosts.register({
      ...loginOf(f, h),
      tags: [
        { Key: "Fleet", Value: "bench" },
        { Key: "Name", Value: `bench-${i + 1}` },
      ],
    });
  await b.caller.applications.create({ applicationName: APP, computePlatform: "Server" });
  const rollbackGroups = new Set<string>(ROLLBACK_SCENARIOS.map((s) => s.group));
  for (const s of [...SCENARIOS, ...ROLLBACK_SCENARIOS])
    await b.caller.deploymentGroups.create({
      applicationName: APP,
      deploymentGroupName: s.group,
      deploymentConfigName: "CodeDeployDefault.OneAtATime",
      // Only the rollback scenario's groups roll back by themselves when a deployment fails.
      ...(rollbackGroups.has(s.group) ? { autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE" as const] } } : {}),
      onPremisesTagFilters: tagFilters(s.hosts),
    });
}

/** The ports of the first n hosts: the hosts a scenario of n hosts deploys to. */
export const portsOf = (f: TestHosts, n: number) => f.hosts.slice(0, n).map((h) => h.port);

/** Both sides really delivered: the site and the hook lines are on every host. */
export function checkDelivered(f: TestHosts): void {
  for (const h of f.hosts) {
    const blobs = fs.readdirSync(h.path("/var/www/html/assets")).filter((n) => n.endsWith(".bin")).length;
    const log = fs.readFileSync(h.path("/srv/bench.log"), "utf8");
    if (blobs !== 50 || !fs.existsSync(h.path("/var/www/html/index.html")) || !log.includes("ValidateService"))
      throw new Error(`${h.name}: the site or the hook log is missing after the runs`);
  }
}
