import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../../playwright.config";
import { startTestHosts, type TestHost, type TestHosts } from "../support/test-hosts";

// The browser test: everything an operator does for a first deployment, through the
// console only, against the real server and a real sshd host.

const APP = "E2E-App";
const GROUP = "E2E-DG";
const BUCKET = "e2e-releases";
const KEY = "site-v1.zip";
const TAG = "web-e2e";
const INDEX_HTML = "<h1>Deployed by the Slipway browser test</h1>\n";

const APPSPEC = `version: 0.0
os: linux
files:
  - source: /site
    destination: /var/www/html
hooks:
  BeforeInstall:
    - location: scripts/before.sh
      timeout: 60
  ApplicationStart:
    - location: scripts/start.sh
      timeout: 60
`;
// The sleep keeps BeforeInstall running long enough to see its first line arrive live.
const BEFORE_SH = "#!/bin/sh\necho before-1\nsleep 4\necho before-2\n";
const START_SH = "#!/bin/sh\necho \"application-start $DEPLOYMENT_ID\"\n";

let fleet: TestHosts;
let host: TestHost;
let bundleDir: string;
let bundlePath: string;

/** A zip revision built with the system `zip`, as a developer would (scripts keep mode 0755). */
function makeZip(files: Record<string, string>, name: string): string {
  const src = path.join(bundleDir, "src");
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(src, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode: rel.endsWith(".sh") ? 0o755 : 0o644 });
  }
  const out = path.join(bundleDir, name);
  execFileSync("zip", ["-q", "-r", out, "."], { cwd: src });
  return out;
}

async function signIn(page: Page, next = "/applications") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Username", { exact: true }).fill("admin");
  await page.getByLabel("Password", { exact: true }).fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(next);
}

// The second test deploys to the host, application and group the first one set up through the UI.
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  fleet = await startTestHosts(1, { prefix: "e2e-web" });
  host = fleet.hosts[0];
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-e2e-bundle-"));
  bundlePath = makeZip(
    { "appspec.yml": APPSPEC, "scripts/before.sh": BEFORE_SH, "scripts/start.sh": START_SH, "site/index.html": INDEX_HTML },
    KEY,
  );
});

test.afterAll(async () => {
  await fleet?.stop();
  if (bundleDir) fs.rmSync(bundleDir, { recursive: true, force: true });
});

test("[DEPLOYMENTS] sign in, register a host, create an application and a group, upload a revision, deploy and watch it live", async ({ page }) => {
  // 1. Signed out, the console sends you to sign in; a wrong password is refused on the form.
  await page.goto("/hosts");
  await expect(page).toHaveURL(/\/login\?next=%2Fhosts$/);
  await page.getByLabel("Username", { exact: true }).fill("admin");
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-form").getByRole("alert")).toContainText("Wrong username or password.");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Password", { exact: true }).fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/hosts");

  // 2. Register the host with its key file and a Name tag, then trust the fingerprint it presents.
  await expect(page.getByRole("heading", { name: "On-premises instances" })).toBeVisible();
  await page.getByTestId("register-host").first().click();
  const register = page.getByTestId("register-host-dialog");
  await expect(register).toBeVisible();
  await register.getByLabel("Name", { exact: true }).fill(host.name);
  await register.getByLabel("Address", { exact: true }).fill(host.address);
  await register.getByLabel("SSH port", { exact: true }).fill(String(host.port));
  await register.getByLabel("User", { exact: true }).fill("root");
  await register.getByTestId("host-private-key-file").setInputFiles(fleet.privateKeyPath);
  await expect(register.getByText(/Private key loaded from .*\(hidden\)/)).toBeVisible();
  await expect(register.getByLabel("Tag 1 key")).toHaveValue("Name");
  await register.getByLabel("Tag 1 value").fill(TAG);
  await register.getByTestId("register-host-submit").click();

  const testDialog = page.getByTestId("test-connection-dialog");
  await expect(testDialog).toBeVisible();
  await expect(testDialog.getByText("This host key is not trusted yet")).toBeVisible();
  await expect(testDialog.getByTestId("presented-fingerprint")).toHaveText(host.hostKeyFingerprint);
  await testDialog.getByTestId("trust-fingerprint").click();
  await expect(testDialog.getByText("Connected; host key trusted")).toBeVisible();
  await testDialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(testDialog).toBeHidden();

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
  await page.getByTestId("create-application").first().click();
  const createApp = page.getByTestId("create-application-dialog");
  await createApp.getByLabel("Application name", { exact: true }).fill(APP);
  await createApp.getByTestId("create-application-submit").click();
  await expect(page).toHaveURL(`/applications/${APP}`);
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
  await page.getByTestId("deployment-group-submit").click();
  await expect(page).toHaveURL(`/applications/${APP}/deployment-groups/${GROUP}`);
  await expect(page.getByRole("heading", { name: GROUP })).toBeVisible();

  // 4. Upload the revision from the application's Revisions tab.
  await page.getByRole("link", { name: APP }).first().click();
  await page.getByRole("tab", { name: "Revisions" }).click();
  await expect(page).toHaveURL(`/applications/${APP}?tab=revisions`);
  await page.getByTestId("upload-revision").first().click();
  const upload = page.getByTestId("upload-revision-dialog");
  await upload.getByTestId("revision-file").setInputFiles(bundlePath);
  await upload.getByLabel("Bucket", { exact: true }).fill(BUCKET);
  await expect(upload.getByLabel("Key", { exact: true })).toHaveValue(KEY);
  await expect(upload.getByLabel("Revision file type", { exact: true })).toHaveValue("zip");
  await upload.getByTestId("upload-revision-submit").click();
  await expect(upload).toBeHidden();
  const uri = `s3://${BUCKET}/${KEY}`;
  const revisionRow = page.getByTestId(`revision-row-${uri}`);
  await expect(revisionRow).toBeVisible();

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
  await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "Succeeded", { timeout: 60_000 });
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
  await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "Succeeded");
  await expect(allLogs.getByTestId("log-line").filter({ hasText: "before-2" })).toBeVisible();
  await expect(allLogs.getByTestId("log-line").filter({ hasText: "before-1" })).toHaveCount(1);
  await expect(allLogs.getByTestId("log-line").filter({ hasText: "before-2" })).toHaveCount(1);
  // The backlog arrives in one piece, so once its last line shows, all of it is there.
  expect(await allLogs.getByTestId("log-line").allTextContents()).toEqual(linesBefore);

  // 7. The file is on the host.
  expect(fs.readFileSync(host.path("/var/www/html/index.html"), "utf8")).toBe(INDEX_HTML);
});

test("[DEPLOYMENTS] create a deployment with a bad revision location, then one whose key does not exist", async ({ page }) => {
  await signIn(page, `/applications/${APP}/deployment-groups/${GROUP}`);
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
  await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", "Failed", { timeout: 60_000 });
  const download = page.getByTestId(`event-${host.name}-DownloadBundle`);
  await expect(download).toHaveAttribute("data-status", "Failed");
  await expect(download.getByTestId("diagnostics-message")).toContainText("The specified key does not exist.");
  await expect(page.getByTestId(`event-${host.name}-Install`)).not.toHaveAttribute("data-status", "Succeeded");
  // The site from the first deployment is untouched.
  expect(fs.readFileSync(host.path("/var/www/html/index.html"), "utf8")).toBe(INDEX_HTML);
});
