import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { staticSiteRevision } from "../support/static-site";
import { startTestHosts, type TestHosts } from "../support/test-hosts";
import { createBundleDir, type BundleDir } from "./support/bundles";
import * as steps from "./support/console-steps";

// The failure demonstration, replayed in the console on 3 real sshd hosts serving a
// static site: a good first deployment, rollbacks switched on in the group, then two broken
// deployments (a wrong revision location, a zip declared as .tar.gz) that fail at DownloadBundle
// and roll back by themselves. The second test stops a deployment with "Stop and roll back",
// redeploys an earlier revision from the history in one click, and shows the content-option warning.

const APP = "Rollback-Demo-App";
const GROUP = "Rollback-Demo-DG";
const BUCKET = "rollback-demo";
const TAG = "rollback-web";
const SETTLE_MS = 60_000;

let fleet: TestHosts;
let bundleDir: BundleDir;
const bundles: Record<"v1" | "v2" | "slow", string> = { v1: "", v2: "", slow: "" };
/** The first revision's index.html as the zip carries it: what every host must serve after each rollback. */
let v1Bytes: Buffer;
/** The first deployment, shared with the second test (redeployed from the history). */
let firstDeploymentId = "";

const indexOf = (i: number) => fs.readFileSync(fleet.hosts[i].path("/var/www/html/index.html"));

function expectEveryHostServes(bytes: Buffer) {
  for (let i = 0; i < fleet.hosts.length; i++)
    expect(indexOf(i).equals(bytes), `${fleet.hosts[i].name}: /var/www/html/index.html`).toBe(true);
}

const groupPath = steps.groupPath(APP, GROUP);

async function openGroup(page: Page) {
  await page.goto(groupPath);
  await expect(page.getByRole("heading", { name: GROUP })).toBeVisible();
}

/** From the group page: create deployment with this location and file type; returns the new id. */
async function createDeployment(page: Page, location: string, opts: steps.DeploymentOptions = {}) {
  await openGroup(page);
  await steps.openCreateDeploymentForm(page);
  await expect(page.getByLabel("Deployment group", { exact: true })).toHaveValue(GROUP);
  // A bundle type other than the one inferred from the name is what the demo's mistake is.
  return steps.submitCreateDeployment(page, location, opts);
}

/**
 * On the page of a deployment that ended Failed or Stopped: the rollback deployment appears by
 * itself (link on the page and in the timeline), runs on every host at once as codeDeployRollback
 * and succeeds, links back, and every host serves the first revision again.
 */
async function expectRolledBack(page: Page, endedId: string, via: "summary" | "timeline") {
  const rollbackId = await steps.rollbackDeploymentId(page);
  const link = page.getByTestId("rollback-deployment-link");
  expect(rollbackId).not.toBe(endedId);
  await expect(page.getByText(new RegExp(`Automatic rollback \\(DEPLOYMENT_\\w+\\) started: deployment ${rollbackId} redeploys s3://${BUCKET}/site-v1\\.zip`))).toBeVisible();
  const rollbackStarted = page.getByTestId("deployment-timeline").locator('li[data-type="RollbackStarted"]');
  await expect(rollbackStarted).toHaveCount(1);
  const timelineLink = rollbackStarted.getByRole("link", { name: rollbackId, exact: true });
  await expect(timelineLink).toHaveAttribute("href", `/deployments/${rollbackId}`);

  await (via === "summary" ? link : timelineLink).click();
  await expect(page).toHaveURL(`/deployments/${rollbackId}`);
  await expect(page.getByRole("heading", { name: rollbackId })).toBeVisible();
  await steps.expectDeploymentStatus(page, "Succeeded", SETTLE_MS);
  for (const h of fleet.hosts) await expect(page.getByTestId(`target-${h.name}`)).toHaveAttribute("data-status", "Succeeded");
  await expect(steps.detail(page, "Initiated by")).toHaveText("Rollback"); // creator codeDeployRollback
  await expect(steps.detail(page, "Deployment configuration")).toHaveText("CodeDeployDefault.AllAtOnce");
  await expect(page.getByTestId("deployment-revision")).toHaveText(`s3://${BUCKET}/site-v1.zip`);
  // rollbackInfo the other way: rollbackTriggeringDeploymentId.
  const back = page.getByRole("link", { name: endedId, exact: true }).first();
  await expect(back).toHaveAttribute("href", `/deployments/${endedId}`);
  expectEveryHostServes(v1Bytes);

  await back.click();
  await expect(page).toHaveURL(`/deployments/${endedId}`);
  await expect(page.getByTestId("rollback-deployment-link")).toHaveText(rollbackId);
  return rollbackId;
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  fleet = await startTestHosts(3, { prefix: "rb-web" });
  bundleDir = createBundleDir("slipway-e2e-rollback-");
  bundles.v1 = bundleDir.zip("site-v1.zip", staticSiteRevision("v1"));
  bundles.v2 = bundleDir.zip("site-v2.zip", staticSiteRevision("v2"));
  // Its BeforeInstall runs long enough to be stopped from the console.
  const slowHook = "#!/bin/sh\necho slow-hook-started\nsleep 120\necho slow-hook-finished\n";
  bundles.slow = bundleDir.zip("site-slow.zip", staticSiteRevision("slow", { beforeInstall: slowHook }));
  v1Bytes = bundleDir.read("site-v1.zip", "site/index.html");
});

test.afterAll(async () => {
  await fleet?.stop();
  bundleDir?.remove();
});

test("[ROLLBACKS] the failure demonstration: 3 hosts, rollbacks switched on in the group, a wrong location and a zip declared as .tar.gz both roll back by themselves", async ({ page }) => {
  await steps.signIn(page, "/hosts");

  // 1. Three hosts, registered and trusted through the console, tagged for the group.
  for (const host of fleet.hosts) await steps.registerHost(page, fleet, host, TAG);

  // 2. The application and its group (rollbacks still disabled, as a new group's are).
  await page.goto("/applications");
  await steps.createApplication(page, APP);
  await steps.fillNewDeploymentGroupForm(page, GROUP, TAG, "3 unique matched instances");
  await expect(page.getByLabel("Disable rollbacks")).toBeChecked();
  await steps.submitDeploymentGroupForm(page, APP, GROUP);
  await expect(page.getByTestId("group-rollbacks")).toHaveText("Disabled");

  // 3. Upload the revisions from the application's Revisions tab.
  await page.goto(`/applications/${APP}?tab=revisions`);
  await steps.uploadRevisions(page, Object.values(bundles), BUCKET);

  // 4. The first deployment succeeds on every host.
  firstDeploymentId = await createDeployment(page, `s3://${BUCKET}/site-v1.zip`);
  await steps.expectDeploymentStatus(page, "Succeeded", SETTLE_MS);
  for (const h of fleet.hosts) await expect(page.getByTestId(`target-${h.name}`)).toHaveAttribute("data-status", "Succeeded");
  expectEveryHostServes(v1Bytes);
  expect(indexOf(0).toString("utf8")).toBe(staticSiteRevision("v1")["site/index.html"]);

  // 5. The operator edits the group: rollbacks on, for failures and for alarms.
  await openGroup(page);
  await steps.editDeploymentGroup(page);
  const disable = page.getByLabel("Disable rollbacks");
  await expect(disable).toBeChecked();
  await disable.uncheck();
  await page.getByLabel("Roll back when a deployment fails").check();
  await page.getByLabel("Roll back when alarm thresholds are met").check();
  await expect(disable).not.toBeChecked();
  await steps.submitDeploymentGroupForm(page, APP, GROUP);
  await expect(page.getByTestId("group-rollbacks")).toHaveText("Roll back when a deployment fails, when alarm thresholds are met");

  // 6. A wrong revision location: DownloadBundle fails, a rollback appears by itself and succeeds.
  const wrongLocation = await createDeployment(page, `s3://${BUCKET}/releases/site-v2.zip`);
  await steps.expectDeploymentStatus(page, "Failed", SETTLE_MS);
  // One at a time: the first host fails DownloadBundle and the deployment stops there.
  const failedDownload = page.locator('[data-testid$="-DownloadBundle"][data-status="Failed"]').first();
  await expect(failedDownload.getByTestId("diagnostics-message")).toContainText("The specified key does not exist.");
  await expect(page.getByTestId("deployment-error-message")).toBeVisible();
  await expectRolledBack(page, wrongLocation, "summary");

  // 7. The right key with ".tar.gz" chosen for a zip: the same.
  const wrongType = await createDeployment(page, `s3://${BUCKET}/site-v2.zip`, { bundleType: "tgz" });
  await expect(steps.detail(page, "Revision file type")).toHaveText(".tar.gz");
  await steps.expectDeploymentStatus(page, "Failed", SETTLE_MS);
  await expect(failedDownload.getByTestId("diagnostics-message")).toContainText(/"tgz".*does not match.*zip/);
  await expectRolledBack(page, wrongType, "timeline");

  // The group's history holds all five, the rollbacks initiated by codeDeployRollback.
  await openGroup(page);
  const history = page.getByTestId("deployment-history");
  await expect(history.locator('[data-testid^="deployment-row-"]')).toHaveCount(5);
  await expect(history.getByTestId(`deployment-row-${wrongLocation}`)).toHaveAttribute("data-status", "Failed");
  await expect(history.getByTestId(`deployment-row-${wrongType}`)).toHaveAttribute("data-status", "Failed");
  await expect(history.locator('[data-testid^="deployment-row-"][data-status="Succeeded"]').filter({ has: page.getByRole("cell", { name: "Rollback", exact: true }) })).toHaveCount(2);
});

test("[ROLLBACKS] stop and roll back from the console, redeploy an earlier revision from the history, and the Overwrite-after-Retain warning", async ({ page }) => {
  test.skip(!firstDeploymentId, "needs the hosts, group and first deployment of the previous test");
  await steps.signIn(page, groupPath);

  // 1. Before any deployment retained files, Overwrite comes with no warning.
  await steps.openCreateDeploymentForm(page);
  await page.getByTestId("content-option-OVERWRITE").check();
  await expect(page.getByTestId("content-option-warning")).toHaveCount(0);

  // 2. v2, deployed with "Retain the content", succeeds everywhere.
  const v2Id = await createDeployment(page, `s3://${BUCKET}/site-v2.zip`, { content: "RETAIN" });
  await steps.expectDeploymentStatus(page, "Succeeded", SETTLE_MS);
  await expect(steps.detail(page, "Content options")).toHaveText("Retain the content");
  expectEveryHostServes(bundleDir.read("site-v2.zip", "site/index.html"));

  // 3. Now choosing "Overwrite the content" warns that a rollback cannot restore what it replaces.
  await openGroup(page);
  await steps.openCreateDeploymentForm(page);
  await expect(page.getByTestId("content-option-warning")).toHaveCount(0);
  await page.getByLabel("Overwrite the content").check();
  const warning = page.getByTestId("content-option-warning");
  await expect(warning).toContainText("A rollback cannot restore the files this deployment overwrites");
  await expect(warning.getByRole("link", { name: v2Id })).toHaveAttribute("href", `/deployments/${v2Id}`);
  await page.getByLabel("Retain the content").check();
  await expect(warning).toHaveCount(0);

  // 4. Redeploy: the first deployment's revision, from the group's history, in one click.
  await openGroup(page);
  const history = page.getByTestId("deployment-history");
  await expect(history.getByTestId(`deployment-row-${firstDeploymentId}`)).toHaveAttribute("data-status", "Succeeded");
  await history.getByRole("button", { name: `Redeploy the revision of ${firstDeploymentId}` }).click();
  const redeployId = await steps.currentDeploymentId(page);
  expect(redeployId).not.toBe(firstDeploymentId);
  await expect(page.getByTestId("deployment-revision")).toHaveText(`s3://${BUCKET}/site-v1.zip`);
  await expect(steps.detail(page, "Initiated by")).toHaveText("User action");
  await expect(steps.detail(page, "Description")).toHaveText(`Redeploy of the revision of ${firstDeploymentId}`);
  await steps.expectDeploymentStatus(page, "Succeeded", SETTLE_MS);
  expectEveryHostServes(v1Bytes);

  // 5. A deployment whose BeforeInstall hangs, stopped with "Stop and roll back".
  const slowId = await createDeployment(page, `s3://${BUCKET}/site-slow.zip`);
  await steps.expectRunningHookLine(page, "BeforeInstall", "slow-hook-started", SETTLE_MS);
  await page.getByTestId("stop-deployment").click();
  const stopDialog = page.getByTestId("stop-deployment-dialog");
  await expect(stopDialog).toBeVisible();
  await stopDialog.getByTestId("stop-and-roll-back").click();
  await expect(stopDialog).toBeHidden();
  await steps.expectDeploymentStatus(page, "Stopped", SETTLE_MS);
  await expect(page.getByTestId("deployment-error-code")).toHaveText("MANUAL_STOP");
  await expect(page.getByTestId("stop-deployment")).toHaveCount(0);
  await expect(page.getByTestId("deployment-logs").getByTestId("log-line").filter({ hasText: "slow-hook-finished" })).toHaveCount(0);
  await expectRolledBack(page, slowId, "timeline");
  // The rollback redeployed the last success (the redeploy of v1), not the stopped revision.
  await expect(page.getByText(`the revision of ${redeployId}`).first()).toBeVisible();
});
