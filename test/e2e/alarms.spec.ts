import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { startTestHosts, type TestHost, type TestHosts } from "../support/test-hosts";
import { createBundleDir, siteAppspec, type BundleDir } from "./support/bundles";
import * as steps from "./support/console-steps";

// The alarms, through the console on a real sshd host: an HTTP alarm that Slipway
// evaluates itself against a health endpoint this test serves (and can turn unhealthy), listed by
// a group that rolls back on alarms. A deployment while the endpoint is healthy succeeds and the
// alarm reads OK; turning it unhealthy during a long BeforeInstall puts the alarm in ALARM, which
// stops the deployment with ALARM_ACTIVE and rolls back. The alarms screen shows state and results.

const APP = "Alarms-App";
const GROUP = "Alarms-DG";
const BUCKET = "alarms-e2e";
const TAG = "alarms-web";
const ALARM = "web-health";
const SETTLE_MS = 45_000;

/** This test's own revision: a single BeforeInstall hook and an index.html it checks on the host. */
const revision = (version: string, beforeInstall: string) => ({
  "appspec.yml": siteAppspec({ BeforeInstall: { location: "scripts/before-install.sh", timeout: 120 } }),
  "scripts/before-install.sh": beforeInstall,
  "site/index.html": `<h1>Alarms ${version}</h1>\n`,
});

let fleet: TestHosts;
let host: TestHost;
let bundleDir: BundleDir;
const bundles = { good: "", slow: "" };

/** The application's health endpoint: /health answers 200 while `healthy`, else 503. */
let healthy = true;
const healthRequests: string[] = [];
let healthServer: http.Server;
let healthPort = 0;

const groupPath = steps.groupPath(APP, GROUP);

/** From the group page: create a deployment of this location; returns the new id. */
async function createDeployment(page: Page, location: string): Promise<string> {
  await page.goto(groupPath);
  await steps.openCreateDeploymentForm(page);
  return steps.submitCreateDeployment(page, location);
}

/** The alarms screen with the alarm's details (recent results) open. */
async function openAlarm(page: Page) {
  await page.goto("/alarms");
  await expect(page.getByRole("heading", { name: "Alarms", exact: true }).first()).toBeVisible();
  const toggle = page.getByTestId(`alarm-toggle-${ALARM}`);
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  return { row: page.getByTestId(`alarm-row-${ALARM}`), results: page.getByTestId(`alarm-results-${ALARM}`).getByTestId("alarm-result") };
}

test.beforeAll(async () => {
  healthServer = http.createServer((req, res) => {
    healthRequests.push(req.url ?? "");
    if (!req.url?.startsWith("/health")) return void res.writeHead(404).end("not found\n");
    res.writeHead(healthy ? 200 : 503, { "content-type": "text/plain" }).end(healthy ? "ok\n" : "unhealthy\n");
  });
  await new Promise<void>((resolve) => healthServer.listen(0, "127.0.0.1", resolve));
  healthPort = (healthServer.address() as AddressInfo).port;

  fleet = await startTestHosts(1, { prefix: "alarm-web" });
  host = fleet.hosts[0];
  bundleDir = createBundleDir("slipway-e2e-alarms-");
  bundles.good = bundleDir.zip("good.zip", revision("good", "#!/bin/sh\necho good-hook-started\nsleep 1\necho good-hook-finished\n"));
  // Long enough for the alarm to fire while it runs; the stop ends it.
  bundles.slow = bundleDir.zip("slow.zip", revision("slow", "#!/bin/sh\necho slow-hook-started\nsleep 60\necho slow-hook-finished\n"));
});

test.afterAll(async () => {
  await fleet?.stop();
  bundleDir?.remove();
  if (healthServer) await new Promise<void>((resolve) => healthServer.close(() => resolve()));
});

test("[ALARMS] an HTTP alarm listed by a group: OK during a good deployment; in ALARM it stops a deployment with ALARM_ACTIVE and rolls back", async ({ page }) => {
  const url = `http://127.0.0.1:${healthPort}/health?h={host}`;

  // 1. The alarms screen starts empty.
  await steps.signIn(page, "/alarms");
  await expect(page.getByRole("heading", { name: "Alarms", exact: true }).first()).toBeVisible();
  const empty = page.getByTestId("empty-state");
  await expect(empty).toContainText("No alarms");

  // 2. Create the HTTP alarm; an ftp:// URL is refused on the field first.
  await empty.getByTestId("create-alarm").click();
  const form = page.getByTestId("alarm-form");
  await expect(form).toBeVisible();
  await form.getByLabel("Alarm name", { exact: true }).fill(ALARM);
  await expect(form.getByRole("radio", { name: /HTTP check/ })).toBeChecked();
  await form.getByLabel("URL", { exact: true }).fill("ftp://x");
  await form.getByLabel("Expected status", { exact: true }).fill("200");
  await form.getByLabel("Body contains - optional").fill("ok");
  await form.getByLabel("Timeout (seconds)", { exact: true }).fill("2");
  await form.getByLabel("Interval (seconds)", { exact: true }).fill("1");
  await form.getByLabel("Failures to alarm", { exact: true }).fill("2");
  await form.getByTestId("alarm-submit").click();
  await expect(form.getByTestId("error-alarm-url")).toContainText("The URL must start with http:// or https://");
  await expect(form.getByLabel("URL", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("URL", { exact: true }).fill(url);
  await form.getByTestId("alarm-submit").click();
  await expect(form).toBeHidden();
  const row = page.getByTestId(`alarm-row-${ALARM}`);
  await expect(row).toContainText(`GET ${url} → 200 containing "ok"`);
  await expect(row).toContainText("1 second");
  await expect(row).toContainText("2 consecutive failures");
  // Never evaluated yet.
  await expect(row).toHaveAttribute("data-state", "INSUFFICIENT_DATA");
  expect(healthRequests).toHaveLength(0);

  // 3. The host, registered and trusted through the console.
  await page.goto("/hosts");
  await steps.registerHost(page, fleet, host, TAG);

  // 4. The application and its group, then the revisions.
  await page.goto("/applications");
  await steps.createApplication(page, APP);
  await steps.fillNewDeploymentGroupForm(page, GROUP, TAG, "1 unique matched instance");
  await steps.submitDeploymentGroupForm(page, APP, GROUP);
  await expect(steps.detail(page, "Alarms")).toHaveText("None");

  await page.goto(`/applications/${APP}?tab=revisions`);
  await steps.uploadRevisions(page, Object.values(bundles), BUCKET);

  // 5. Edit the group: rollbacks on, including on alarms, and the alarm listed.
  await page.goto(groupPath);
  await steps.editDeploymentGroup(page);
  await page.getByLabel("Disable rollbacks").uncheck();
  await page.getByLabel("Roll back when alarm thresholds are met").check();
  const alarms = page.getByTestId("group-alarms");
  await expect(alarms.getByTestId("group-alarms-count")).toHaveText("0 of at most 10 alarms selected.");
  await alarms.getByRole("checkbox", { name: ALARM, exact: true }).check();
  await expect(alarms.getByTestId("group-alarms-count")).toHaveText("1 of at most 10 alarms selected.");
  await expect(alarms.getByLabel("Enable alarm monitoring")).toBeChecked();
  await expect(alarms.getByLabel("Continue deployments even if alarm status is unavailable")).not.toBeChecked();
  await steps.submitDeploymentGroupForm(page, APP, GROUP);
  await expect(page.getByTestId("group-rollbacks")).toHaveText("Roll back when a deployment fails, when alarm thresholds are met");
  await expect(steps.detail(page, "Alarms")).toHaveText(ALARM);

  // 6. While the endpoint is healthy, a deployment succeeds and the alarm it watched reads OK.
  const goodId = await createDeployment(page, `s3://${BUCKET}/good.zip`);
  await steps.expectDeploymentStatus(page, "Succeeded", SETTLE_MS);
  expect(healthRequests.length).toBeGreaterThan(0);
  // {host} became the host's address.
  expect(new Set(healthRequests)).toEqual(new Set([`/health?h=${host.address}`]));

  let alarm = await openAlarm(page);
  await expect(alarm.row).toHaveAttribute("data-state", "OK");
  await expect(page.getByTestId(`alarm-state-${ALARM}`)).toHaveText("OK");
  await expect(alarm.results.first()).toBeVisible();
  await expect(alarm.results.and(page.locator('[data-ok="false"]'))).toHaveCount(0);
  const okResult = alarm.results.first();
  await expect(okResult).toContainText("OK");
  await expect(okResult).toContainText(host.name);
  await expect(okResult).toContainText(`GET http://127.0.0.1:${healthPort}/health?h=${host.address} returned 200`);
  await expect(okResult).toContainText(goodId);

  // 7. A deployment whose BeforeInstall runs long; the endpoint turns unhealthy while it runs.
  const slowId = await createDeployment(page, `s3://${BUCKET}/slow.zip`);
  await steps.expectRunningHookLine(page, "BeforeInstall", "slow-hook-started", SETTLE_MS);
  healthy = false;
  await steps.expectDeploymentStatus(page, "Stopped", SETTLE_MS);
  await expect(page.getByTestId("deployment-error-code")).toHaveText("ALARM_ACTIVE");
  await expect(page.getByTestId("deployment-error-message")).toContainText(`Alarm "${ALARM}" is in ALARM`);
  await expect(page.getByTestId("deployment-error-message")).toContainText("returned 503, expected 200");
  const timeline = page.getByTestId("deployment-timeline");
  await expect(timeline.locator('li[data-type="AlarmActivated"]')).toContainText(`Alarm "${ALARM}" went into ALARM`);
  await expect(page.getByTestId("deployment-logs").getByTestId("log-line").filter({ hasText: "slow-hook-finished" })).toHaveCount(0);

  // The group rolls back on alarms: a rollback deployment appears and succeeds.
  const rollbackId = await steps.rollbackDeploymentId(page, SETTLE_MS);
  const link = page.getByTestId("rollback-deployment-link");
  await expect(page.getByText(new RegExp(`Automatic rollback \\(DEPLOYMENT_STOP_ON_ALARM\\) started: deployment ${rollbackId} redeploys s3://${BUCKET}/good\\.zip`))).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(`/deployments/${rollbackId}`);
  await steps.expectDeploymentStatus(page, "Succeeded", SETTLE_MS);
  await expect(steps.detail(page, "Initiated by")).toHaveText("Rollback");
  await expect(page.getByRole("link", { name: slowId, exact: true }).first()).toHaveAttribute("href", `/deployments/${slowId}`);
  expect(fs.readFileSync(host.path("/var/www/html/index.html"), "utf8")).toBe("<h1>Alarms good</h1>\n");

  // 8. The alarms screen: in ALARM, with the failed results of the stopped deployment.
  alarm = await openAlarm(page);
  await expect(alarm.row).toHaveAttribute("data-state", "ALARM");
  await expect(page.getByTestId(`alarm-state-${ALARM}`)).toHaveText("In alarm");
  await expect(page.getByTestId(`alarm-reason-${ALARM}`)).toContainText("2 consecutive failed checks (threshold 2)");
  const failed = alarm.results.and(page.locator('[data-ok="false"]'));
  await expect(failed.first()).toBeVisible();
  expect(await failed.count()).toBeGreaterThanOrEqual(2);
  await expect(failed.first()).toContainText("Failed");
  await expect(failed.first()).toContainText(`${host.name}: GET http://127.0.0.1:${healthPort}/health?h=${host.address} returned 503, expected 200`);
  await expect(failed.first()).toContainText(slowId);
  // The newest results first: the two failures come before the OK ones.
  await expect(alarm.results.nth(0)).toHaveAttribute("data-ok", "false");
  await expect(alarm.results.nth(1)).toHaveAttribute("data-ok", "false");

  // 9. Healthy again, "Test alarm" against the group brings it back to OK.
  healthy = true;
  const details = page.getByTestId(`alarm-details-${ALARM}`);
  await details.getByLabel("Application", { exact: true }).selectOption(APP);
  await details.getByLabel("Deployment group", { exact: true }).selectOption(GROUP);
  await details.getByTestId(`test-alarm-${ALARM}`).click();
  await expect(details.getByTestId("test-alarm-result")).toContainText(`${host.name}: GET http://127.0.0.1:${healthPort}/health?h=${host.address} returned 200`);
  await expect(alarm.row).toHaveAttribute("data-state", "OK");
  await expect(alarm.results.nth(0)).toHaveAttribute("data-ok", "true");
});
