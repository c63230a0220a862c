import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../../playwright.config";
import { startTestHosts, type TestHost, type TestHosts } from "../support/test-hosts";

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
const DEPLOYMENT_URL = /\/deployments\/(d-[A-Z0-9]{9})$/;
const SETTLE = { timeout: 45_000 };

const revision = (version: string, beforeInstall: string) => ({
  "appspec.yml": [
    "version: 0.0",
    "os: linux",
    "files:",
    "  - source: /site",
    "    destination: /var/www/html",
    "hooks:",
    "  BeforeInstall:",
    "    - location: scripts/before-install.sh",
    "      timeout: 120",
    "",
  ].join("\n"),
  "scripts/before-install.sh": beforeInstall,
  "site/index.html": `<h1>Alarms ${version}</h1>\n`,
});

let fleet: TestHosts;
let host: TestHost;
let bundleDir: string;
const bundles = { good: "", slow: "" };

/** The application's health endpoint: /health answers 200 while `healthy`, else 503. */
let healthy = true;
const healthRequests: string[] = [];
let healthServer: http.Server;
let healthPort = 0;

/** A zip revision built with the system `zip` (scripts keep mode 0755). */
function makeZip(name: string, files: Record<string, string>): string {
  const src = path.join(bundleDir, `${name}.src`);
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(src, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode: rel.endsWith(".sh") ? 0o755 : 0o644 });
  }
  const out = path.join(bundleDir, name);
  execFileSync("zip", ["-q", "-r", out, "."], { cwd: src });
  return out;
}

async function signIn(page: Page, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Username", { exact: true }).fill("admin");
  await page.getByLabel("Password", { exact: true }).fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(next);
}

const groupPath = `/applications/${APP}/deployment-groups/${GROUP}`;

/** A value of a details grid, by its label. */
const detail = (page: Page, label: string) =>
  page.locator("dl > div").filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");

/** From the group page: create a deployment of this location; returns the new id. */
async function createDeployment(page: Page, location: string): Promise<string> {
  await page.goto(groupPath);
  await page.getByTestId("create-deployment").first().click();
  await expect(page.getByTestId("create-deployment-form")).toBeVisible();
  await page.getByLabel("Revision location", { exact: true }).fill(location);
  await page.getByTestId("create-deployment-submit").click();
  await expect(page).toHaveURL(DEPLOYMENT_URL);
  return DEPLOYMENT_URL.exec(new URL(page.url()).pathname)![1];
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
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-e2e-alarms-"));
  bundles.good = makeZip("good.zip", revision("good", "#!/bin/sh\necho good-hook-started\nsleep 1\necho good-hook-finished\n"));
  // Long enough for the alarm to fire while it runs; the stop ends it.
  bundles.slow = makeZip("slow.zip", revision("slow", "#!/bin/sh\necho slow-hook-started\nsleep 60\necho slow-hook-finished\n"));
});

test.afterAll(async () => {
  await fleet?.stop();
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
  if (healthServer) await new Promise<void>((resolve) => healthServer.close(() => resolve()));
});

test("[ALARMS] an HTTP alarm listed by a group: OK during a good deployment; in ALARM it stops a deployment with ALARM_ACTIVE and rolls back", async ({ page }) => {
  const url = `http://127.0.0.1:${healthPort}/health?h={host}`;

  // 1. The alarms screen starts empty.
  await signIn(page, "/alarms");
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
  await page.getByTestId("register-host").first().click();
  const register = page.getByTestId("register-host-dialog");
  await expect(register).toBeVisible();
  await register.getByLabel("Name", { exact: true }).fill(host.name);
  await register.getByLabel("Address", { exact: true }).fill(host.address);
  await register.getByLabel("SSH port", { exact: true }).fill(String(host.port));
  await register.getByLabel("User", { exact: true }).fill("root");
  await register.getByTestId("host-private-key-file").setInputFiles(fleet.privateKeyPath);
  await expect(register.getByText(/Private key loaded from .*\(hidden\)/)).toBeVisible();
  await register.getByLabel("Tag 1 value").fill(TAG);
  await register.getByTestId("register-host-submit").click();
  const testDialog = page.getByTestId("test-connection-dialog");
  await expect(testDialog.getByTestId("presented-fingerprint")).toHaveText(host.hostKeyFingerprint);
  await testDialog.getByTestId("trust-fingerprint").click();
  await expect(testDialog.getByText("Connected; host key trusted")).toBeVisible();
  await testDialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(testDialog).toBeHidden();
  await expect(page.getByTestId(`host-row-${host.name}`)).toContainText(`Name=${TAG}`);

  // 4. The application and its group, then the revisions.
  await page.goto("/applications");
  await page.getByTestId("create-application").first().click();
  const createApp = page.getByTestId("create-application-dialog");
  await createApp.getByLabel("Application name", { exact: true }).fill(APP);
  await createApp.getByTestId("create-application-submit").click();
  await expect(page).toHaveURL(`/applications/${APP}`);
  await page.getByTestId("create-deployment-group").first().click();
  await page.getByLabel("Enter a deployment group name").fill(GROUP);
  await page.getByLabel("Filter 1 value").fill(TAG);
  await expect(page.getByTestId("matching-instances").getByTestId("matching-count")).toHaveText("1 unique matched instance");
  await page.getByTestId("deployment-group-submit").click();
  await expect(page).toHaveURL(groupPath);
  await expect(detail(page, "Alarms")).toHaveText("None");

  await page.goto(`/applications/${APP}?tab=revisions`);
  for (const file of Object.values(bundles)) {
    await page.getByTestId("upload-revision").first().click();
    const upload = page.getByTestId("upload-revision-dialog");
    await upload.getByTestId("revision-file").setInputFiles(file);
    await upload.getByLabel("Bucket", { exact: true }).fill(BUCKET);
    await expect(upload.getByLabel("Key", { exact: true })).toHaveValue(path.basename(file));
    await upload.getByTestId("upload-revision-submit").click();
    await expect(upload).toBeHidden();
    await expect(page.getByTestId(`revision-row-s3://${BUCKET}/${path.basename(file)}`)).toBeVisible();
  }

  // 5. Edit the group: rollbacks on, including on alarms, and the alarm listed.
  await page.goto(groupPath);
  await page.getByTestId("edit-deployment-group").click();
  await expect(page.getByTestId("deployment-group-form")).toBeVisible();
  await page.getByLabel("Disable rollbacks").uncheck();
  await page.getByLabel("Roll back when alarm thresholds are met").check();
  const alarms = page.getByTestId("group-alarms");
  await expect(alarms.getByTestId("group-alarms-count")).toHaveText("0 of at most 10 alarms selected.");
  await alarms.getByRole("checkbox", { name: ALARM, exact: true }).check();
  await expect(alarms.getByTestId("group-alarms-count")).toHaveText("1 of at most 10 alarms selected.");
  await expect(alarms.getByLabel("Enable alarm monitoring")).toBeChecked();
  await expect(alarms.getByLabel("Continue deployments even if alarm status is unavailable")).not.toBeChecked();
  await page.getByTestId("deployment-group-submit").click();
  await expect(page).toHaveURL(groupPath);
  await expect(page.getByTestId("group-rollbacks")).toHaveText("Roll back when a deployment fails, when alarm thresholds are met");
  await expect(detail(page, "Alarms")).toHaveText(ALARM);

  // 6. While the endpoint is healthy, a deployment succeeds and the alarm it watched reads OK.
  const goodId = await createDeployment(page, `s3://${BUCKET}/good.zip`);
  await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "Succeeded", SETTLE);
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
  const running = page.locator('[data-testid$="-BeforeInstall"][data-status="InProgress"]');
  await expect(running.getByTestId("log-line").filter({ hasText: "slow-hook-started" })).toBeVisible(SETTLE);
  healthy = false;
  await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "Stopped", SETTLE);
  await expect(page.getByTestId("deployment-error-code")).toHaveText("ALARM_ACTIVE");
  await expect(page.getByTestId("deployment-error-message")).toContainText(`Alarm "${ALARM}" is in ALARM`);
  await expect(page.getByTestId("deployment-error-message")).toContainText("returned 503, expected 200");
  const timeline = page.getByTestId("deployment-timeline");
  await expect(timeline.locator('li[data-type="AlarmActivated"]')).toContainText(`Alarm "${ALARM}" went into ALARM`);
  await expect(page.getByTestId("deployment-logs").getByTestId("log-line").filter({ hasText: "slow-hook-finished" })).toHaveCount(0);

  // The group rolls back on alarms: a rollback deployment appears and succeeds.
  const link = page.getByTestId("rollback-deployment-link");
  await expect(link).toHaveText(/^d-[A-Z0-9]{9}$/, SETTLE);
  const rollbackId = (await link.textContent())!.trim();
  await expect(page.getByText(new RegExp(`Automatic rollback \\(DEPLOYMENT_STOP_ON_ALARM\\) started: deployment ${rollbackId} redeploys s3://${BUCKET}/good\\.zip`))).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(`/deployments/${rollbackId}`);
  await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "Succeeded", SETTLE);
  await expect(detail(page, "Initiated by")).toHaveText("Rollback");
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
