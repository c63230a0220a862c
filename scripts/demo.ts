/**
 * `npm run demo`: the console plus 3 local demo hosts (real sshd, each in its own mount
 * namespace, as the test hosts), the application GetFix-Rollback-App with its group
 * GetFix-Rollback-App-DG, a good static-site revision deployed, and a broken one (a zip declared
 * as .tar.gz) deployed next, so the automatic rollback plays out within a minute or two.
 * Each host's /var/www/html is also served on http://localhost:8081..8083 to see the site.
 */
import fs from "node:fs";
import http from "node:http";
import { createCaller } from "../server/api/root";
import { loadConfig } from "../server/config";
import { startServer } from "../server/server";
import { makeBundle, registerFleet } from "../test/support/backend";
import { staticSiteRevision } from "../test/support/static-site";
import { startTestHosts, type TestHosts } from "../test/support/test-hosts";

const APP = "GetFix-Rollback-App";
const GROUP = "GetFix-Rollback-App-DG";
const BUCKET = "getfix-demo";
const auto = !process.argv.includes("--no-auto");

function preflight() {
  if (!fs.existsSync("/usr/sbin/sshd")) {
    console.error(
      "The demo runs 3 local OpenSSH servers, but openssh-server is not installed.\n" +
        "Install it with:  sudo apt-get install -y openssh-server   (then run `npm run demo` again)",
    );
    process.exit(1);
  }
  if (process.getuid?.() !== 0) {
    console.error("The demo's hosts need their own mount namespaces, which needs root: run `sudo npm run demo`.");
    process.exit(1);
  }
}


/** Serves each demo host's /var/www/html on localhost, so the site can be seen changing. */
function serveSites(fleet: TestHosts): http.Server[] {
  return fleet.hosts.map((h, i) => {
    const server = http.createServer((req, res) => {
      const file = h.path("/var/www/html/index.html");
      if (!fs.existsSync(file)) {
        res.writeHead(404).end("nothing deployed yet\n");
        return;
      }
      res.writeHead(200, { "content-type": "text/html" }).end(fs.readFileSync(file));
    });
    server.listen(8081 + i, "127.0.0.1");
    return server;
  });
}

async function main() {
  preflight();
  const config = loadConfig({ ...process.env, SLIPWAY_DATA_DIR: process.env.SLIPWAY_DATA_DIR ?? ".slipway-demo" });
  fs.rmSync(config.dataDir, { recursive: true, force: true }); // a fresh demo each time
  const password = config.adminPassword ?? "demo";
  const fleet = await startTestHosts(3, { prefix: "getfix-web" });
  const server = await startServer({ ...config, adminPassword: password });
  const sites = serveSites(fleet);
  const stop = async () => {
    sites.forEach((s) => s.close());
    await server.close().catch(() => {});
    await fleet.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());

  const { ctx } = server.app;
  const caller = createCaller({ app: ctx, user: { id: 1, username: "admin" }, token: null });
  await registerFleet(caller, fleet, [{ Key: "Name", Value: "getfix-web" }]);
  await caller.applications.create({ applicationName: APP, computePlatform: "Server" });
  await caller.deploymentGroups.create({
    applicationName: APP,
    deploymentGroupName: GROUP,
    onPremisesTagFilters: [{ Key: "Name", Value: "getfix-web", Type: "KEY_AND_VALUE" }],
    autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
  });
  for (const [key, files] of [
    ["site-v1.zip", staticSiteRevision("v1", { colour: "#e6f4ea" })],
    ["site-v2.zip", staticSiteRevision("v2", { colour: "#fde7e9" })],
  ] as const) {
    const { eTag } = await ctx.store.put(BUCKET, key, makeBundle(files));
    await caller.revisions.register({ applicationName: APP, s3Location: { bucket: BUCKET, key, bundleType: "zip", eTag } });
  }
  const base = `http://localhost:${server.port}`;
  console.log(`\nSlipway demo: ${base}  (sign in as admin / ${password})`);
  console.log(`Hosts: ${fleet.hosts.map((h, i) => `${h.name} (ssh port ${h.port}, site http://localhost:${8081 + i})`).join(", ")}`);

  const good = await caller.deployments.create({
    applicationName: APP,
    deploymentGroupName: GROUP,
    revision: { bucket: BUCKET, key: "site-v1.zip", bundleType: "zip" },
    description: "The good static site",
  });
  console.log(`\n1. Deploying the good revision: ${base}/deployments/${good.deploymentId}`);
  await ctx.engine.settled(good.deploymentId);
  console.log(`   ${(await caller.deployments.get(good)).deploymentInfo.status}`);

  const broken = { bucket: BUCKET, key: "site-v2.zip", bundleType: "tgz" as const };
  if (!auto) {
    console.log(`\n2. The broken deployment is ready: create a deployment of s3://${BUCKET}/site-v2.zip choosing ".tar.gz" for this zip.`);
    return;
  }
  console.log(`\n2. In 10 seconds: a deployment of s3://${BUCKET}/site-v2.zip with ".tar.gz" chosen for a .zip (it will fail)`);
  await new Promise((r) => setTimeout(r, 10_000));
  const bad = await caller.deployments.create({ applicationName: APP, deploymentGroupName: GROUP, revision: broken, description: "Wrong bundle type" });
  console.log(`   ${base}/deployments/${bad.deploymentId}`);
  await ctx.engine.settled(bad.deploymentId);
  const info = (await caller.deployments.get(bad)).deploymentInfo;
  console.log(`   ${info.status}: ${info.errorInformation?.message ?? ""}`);
  const rollbackId = info.rollbackInfo?.rollbackDeploymentId;
  if (rollbackId) {
    console.log(`\n3. Automatic rollback to the good revision: ${base}/deployments/${rollbackId}`);
    await ctx.engine.settled(rollbackId);
    console.log(`   ${(await caller.deployments.get({ deploymentId: rollbackId })).deploymentInfo.status}`);
  }
  console.log("\nThe console keeps running: press Ctrl-C to stop the demo (its hosts go with it).");
}

main().catch((err) => {
  console.error(`The demo could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
