import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { startTestHosts, type TestHost, type TestHosts } from "../support/test-hosts";
import { createBundleDir, siteAppspec, type BundleDir } from "./support/bundles";
import * as steps from "./support/console-steps";

// The browser test: everything an operator does for a first deployment, through the
// console only, against the real server and a real sshd host.

const APP = "E2E-App";
const GROUP = "E2E-DG";
const BUCKET = "e2e-releases";
const KEY = "site-v1.zip";
const TAG = "web-e2e";
const INDEX_HTML = "<h1>Deployed by the Slipway browser test</h1>\n";

const APPSPEC = siteAppspec({
  BeforeInstall: { location: "scripts/before.sh", timeout: 60 },
  ApplicationStart: { location: "scripts/start.sh", timeout: 60 },
});
// The sleep keeps BeforeInstall running long enough to see its first line arrive live.
const BEFORE_SH = "#!/bin/sh\necho before-1\nsleep 4\necho before-2\n";
const START_SH = "#!/bin/sh\necho \"application-start $DEPLOYMENT_ID\"\n";

let fleet: TestHosts;
let host: TestHost;
let bundles: BundleDir;
let bundlePath: string;

const servedIndex = () => fs.readFileSync(host.path("/var/www/html/index.html"), "utf8");

// The second test deploys to the host, application and group the first one set up through the UI.
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  fleet = await startTestHosts(1, { prefix: "e2e-web" });
  host = fleet.hosts[0];
  bundles = createBundleDir("slipway-e2e-bundle-");
  bundlePath = bundles.zip(KEY, {
    "appspec.yml": APPSPEC,
    "scripts/before.sh": BEFORE_SH,
    "scripts/start.sh": START_SH,
    "site/index.html": INDEX_HTML,
  });
});

test.afterAll(async () => {
  await fleet?.stop();
  bundles?.remove();
});

test("[DEPLOYMENTS] sign in, register a host, create an application and a group, upload a revision, deploy and watch it live", async ({ page }) => {
  // 1. Signed out, the console sends you to sign in; a wrong password is refused on the form.
  await page.goto("/hosts");
  await expect(page).toHaveURL(/\/login\?next=%2Fhosts$/);
  await steps.submitSignIn(page, "not-the-password");
  await expect(page.getByTestId("login-form").getByRole("alert")).toContainText("Wrong username or password.");
  await expect(page).toHaveURL(/\/login/);
  await steps.submitSignIn(page);
  await expect(page).toHaveURL("/hosts");

  // 2. Register the host with its key file and a Name tag, then trust the fingerprint it presents.
  await expect(page.getByRole("heading", { name: "On-premises instances" })).toBeVisible();
  const register = await steps.fillRegisterHostForm(page, fleet, host, TAG);
  await expect(register.getByLabel("Tag 1 key")).toHaveValue("Name");
  const testDialog = await steps.submitRegisterHostForm(page, register);
  await expect(testDialog).toBeVisible();
  await expect(testDialog.getByText("This host key is not trusted yet")).toBeVisible();
  await steps.trustPresentedHostKey(testDialog, host);

  const row = page.getByTestId(`host-row-${host.name}`);
  await expect(row).toContainText(`Name=${TAG}`);
  await expect(row.getByTestId(`host-fingerprint-${host.name}`)).toHaveText(host.hostKeyFingerprint);
  // The key was sent once; nothing of it is left in the page.
  const keyLines = fleet.privateKey.trim().split("\n");
  const distinctive = keyLines[Math.floor(keyLines.length / 2)];
  expect(distinctive.length).toBeGreaterThan(40);
  expect(await page.content()).not.toContain(distinctive);

  // 3. Create the application and a deployment group whose tag filter selects the host.
  await page.getByRole("link", { name: "Applications" }).first().click();
  await expect(page).toHaveURL("/applications");
  await steps.createApplication(page, APP);
  await expect(page.getByRole("heading", { name: APP })).toBeVisible();

  await page.getByTestId("create-deployment-group").first().click();
  await expect(page).toHaveURL(`/applications/${APP}/deployment-groups/new`);
  await page.getByLabel("Enter a deployment group name").fill(GROUP);
  const matching = page.getByTestId("matching-instances");
  await expect(page.getByLabel("Filter 1 key")).toHaveValue("Name");
  await expect(page.getByLabel("Filter 1 type")).toHaveValue("KEY_AND_VALUE");
  await expect(matching.getByTestId(`matching-host-${host.name}`)).toHaveCount(0);
  await page.getByLabel("Filter 1 value").pressSequentially(TAG);
  await expect(matching.getByTestId(`matching-host-${host.name}`)).toBeVisible();
  await expect(matching.getByTestId("matching-count")).toHaveText("1 unique matched instance");
  await steps.submitDeploymentGroupForm(page, APP, GROUP);
  await expect(page.getByRole("heading", { name: GROUP })).toBeVisible();

  // 4. Upload the revision from the application's Revisions tab.
  await page.getByRole("link", { name: APP }).first().click();
  await page.getByRole("tab", { name: "Revisions" }).click();
  await expect(page).toHaveURL(`/applications/${APP}?tab=revisions`);
  const upload = await steps.fillUploadRevisionForm(page, bundlePath, BUCKET); // its Key is KEY, the file's name
  await expect(upload.getByLabel("Revision file type", { exact: true })).toHaveValue("zip");
  const uri = `s3://${BUCKET}/${KEY}`;
  const revisionRow = await steps.submitUploadRevisionForm(page, upload, uri);

  // 5. Deploy it, and watch the hook's output arrive while the hook is still running.
  await revisionRow.getByTestId(`deploy-revision-${uri}`).click();
  await expect(page).toHaveURL(/\/deployments\/new\?/);
  await expect(page.getByLabel("Application", { exact: true })).toHaveValue(APP);
  await expect(page.getByLabel("Deployment group", { exact: true })).toHaveValue(GROUP);
  await expect(page.getByLabel("Revision location", { exact: true })).toHaveValue(uri);
  await expect(page.getByLabel("Revision file type", { exact: true })).toHaveValue("zip");
  await page.getByTestId("create-deployment-submit").click();
  await expect(page).toHaveURL(/\/deployments\/d-[A-Z0-9]{9}$/);
  const deploymentId = page.url().split("/").pop()!;
  await expect(page.getByRole("heading", { name: deploymentId })).toBeVisible();

  const beforeInstall = page.getByTestId(`event-${host.name}-BeforeInstall`);
  // One locator for both conditions: the line is inside the row while that row says InProgress.
  const runningBeforeInstall = page.locator(`[data-testid="event-${host.name}-BeforeInstall"][data-status="InProgress"]`);
  await expect(runningBeforeInstall.getByTestId("log-line").filter({ hasText: "before-1" })).toBeVisible();
  await expect(runningBeforeInstall.getByTestId("log-line").filter({ hasText: "before-2" })).toHaveCount(0);
  const allLogs = page.getByTestId("deployment-log-view");
  await expect(allLogs.getByTestId("log-line").filter({ hasText: "before-1" })).toBeVisible();
  await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "InProgress");

  await expect(allLogs.getByTestId("log-line").filter({ hasText: "before-2" })).toBeVisible();
  await steps.expectDeploymentStatus(page, "Succeeded", 60_000);
  await expect(page.getByTestId("deployment-status")).toHaveText("Succeeded");
  await expect(beforeInstall).toHaveAttribute("data-status", "Succeeded");
  const eventRows = page.getByTestId(`target-${host.name}`).locator(`[data-testid^="event-${host.name}-"]`);
  await expect(eventRows).toHaveCount(7);
  for (const name of ["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"])
    await expect(page.getByTestId(`event-${host.name}-${name}`)).toHaveAttribute("data-status", "Succeeded");
  await expect(page.getByTestId(`target-status-${host.name}`)).toHaveAttribute("data-status", "Succeeded");
  await expect(allLogs.getByTestId("log-line").filter({ hasText: `application-start ${deploymentId}` })).toBeVisible();
  const linesBefore = await allLogs.getByTestId("log-line").allTextContents();

  // 6. After a reload the log is the same: every line once, none lost.
  await page.reload();
  await steps.expectDeploymentStatus(page, "Succeeded");
  await expect(allLogs.getByTestId("log-line").filter({ hasText: "before-2" })).toBeVisible();
  await expect(allLogs.getByTestId("log-line").filter({ hasText: "before-1" })).toHaveCount(1);
  await expect(allLogs.getByTestId("log-line").filter({ hasText: "before-2" })).toHaveCount(1);
  // The backlog arrives in one piece, so once its last line shows, all of it is there.
  expect(await allLogs.getByTestId("log-line").allTextContents()).toEqual(linesBefore);

  // 7. The file is on the host.
  expect(servedIndex()).toBe(INDEX_HTML);
});

test("[DEPLOYMENTS] create a deployment with a bad revision location, then one whose key does not exist", async ({ page }) => {
  await steps.signIn(page, steps.groupPath(APP, GROUP));
  await page.getByTestId("create-deployment").first().click();
  await expect(page).toHaveURL(/\/deployments\/new\?/);
  await expect(page.getByLabel("Application", { exact: true })).toHaveValue(APP);
  await expect(page.getByLabel("Deployment group", { exact: true })).toHaveValue(GROUP);

  // Not an s3:// location: the form says so next to the field and stays put.
  const location = page.getByLabel("Revision location", { exact: true });
  await location.fill(`${BUCKET}/${KEY}`);
  await page.getByTestId("create-deployment-submit").click();
  await expect(page.getByTestId("error-revision-location")).toContainText("s3://bucket-name/object-key");
  await expect(location).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/deployments\/new\?/);

  // A well-formed location whose object is missing: created, then DownloadBundle fails.
  await location.fill(`s3://${BUCKET}/missing-v9.zip`);
  await expect(page.getByTestId("error-revision-location")).toHaveCount(0);
  await expect(page.getByLabel("Revision file type", { exact: true })).toHaveValue("zip");
  await page.getByTestId("create-deployment-submit").click();
  await expect(page).toHaveURL(/\/deployments\/d-[A-Z0-9]{9}$/);
  await steps.expectDeploymentStatus(page, "Failed", 60_000);
  const download = page.getByTestId(`event-${host.name}-DownloadBundle`);
  await expect(download).toHaveAttribute("data-status", "Failed");
  await expect(download.getByTestId("diagnostics-message")).toContainText("The specified key does not exist.");
  await expect(page.getByTestId(`event-${host.name}-Install`)).not.toHaveAttribute("data-status", "Succeeded");
  // The site from the first deployment is untouched.
  expect(servedIndex()).toBe(INDEX_HTML);
});
