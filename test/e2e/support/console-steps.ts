import path from "node:path";
import { expect, type Locator, type Page } from "@playwright/test";
import { E2E_ADMIN_PASSWORD } from "../../../playwright.config";
import type { TestHost, TestHosts } from "../../support/test-hosts";

// Console steps the browser tests share. Each takes the Page and asserts only what every caller
// asserts; a test checks more between the smaller steps when it needs to.

const DEPLOYMENT_URL = /\/deployments\/(d-[A-Z0-9]{9})$/;

export const groupPath = (app: string, group: string) => `/applications/${app}/deployment-groups/${group}`;

/** Fills the sign-in form on the page it is on and submits it. */
export async function submitSignIn(page: Page, password = E2E_ADMIN_PASSWORD) {
  await page.getByLabel("Username", { exact: true }).fill("admin");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in as the admin and lands on `next`. */
export async function signIn(page: Page, next: string) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await submitSignIn(page);
  await expect(page).toHaveURL(next);
}

/** On the hosts page: opens the register dialog and fills it for `host` with the Name tag `tag`; not submitted. */
export async function fillRegisterHostForm(page: Page, fleet: TestHosts, host: TestHost, tag: string): Promise<Locator> {
  await page.getByTestId("register-host").first().click();
  const register = page.getByTestId("register-host-dialog");
  await expect(register).toBeVisible();
  await register.getByLabel("Name", { exact: true }).fill(host.name);
  await register.getByLabel("Address", { exact: true }).fill(host.address);
  await register.getByLabel("SSH port", { exact: true }).fill(String(host.port));
  await register.getByLabel("User", { exact: true }).fill("root");
  await register.getByTestId("host-private-key-file").setInputFiles(fleet.privateKeyPath);
  await expect(register.getByText(/Private key loaded from .*\(hidden\)/)).toBeVisible();
  await register.getByLabel("Tag 1 value").fill(tag);
  return register;
}

/** Submits the register dialog; returns the test-connection dialog that follows it. */
export async function submitRegisterHostForm(page: Page, register: Locator): Promise<Locator> {
  await register.getByTestId("register-host-submit").click();
  return page.getByTestId("test-connection-dialog");
}

/** In the test-connection dialog: trusts the fingerprint `host` presents, then closes the dialog. */
export async function trustPresentedHostKey(testDialog: Locator, host: TestHost) {
  await expect(testDialog.getByTestId("presented-fingerprint")).toHaveText(host.hostKeyFingerprint);
  await testDialog.getByTestId("trust-fingerprint").click();
  await expect(testDialog.getByText("Connected; host key trusted")).toBeVisible();
  await testDialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await expect(testDialog).toBeHidden();
}

/** On the hosts page: registers `host` tagged Name=`tag` and trusts its key; its row shows the tag. */
export async function registerHost(page: Page, fleet: TestHosts, host: TestHost, tag: string) {
  const register = await fillRegisterHostForm(page, fleet, host, tag);
  await trustPresentedHostKey(await submitRegisterHostForm(page, register), host);
  await expect(page.getByTestId(`host-row-${host.name}`)).toContainText(`Name=${tag}`);
}

/** On the applications page: creates `app` and lands on its page. */
export async function createApplication(page: Page, app: string) {
  await page.getByTestId("create-application").first().click();
  const createApp = page.getByTestId("create-application-dialog");
  await createApp.getByLabel("Application name", { exact: true }).fill(app);
  await createApp.getByTestId("create-application-submit").click();
  await expect(page).toHaveURL(`/applications/${app}`);
}

/** On an application's page: opens the new-group form, names it and filters on Name=`tag`; not submitted. */
export async function fillNewDeploymentGroupForm(page: Page, group: string, tag: string, matchingCount: string) {
  await page.getByTestId("create-deployment-group").first().click();
  await page.getByLabel("Enter a deployment group name").fill(group);
  await page.getByLabel("Filter 1 value").fill(tag);
  await expect(page.getByTestId("matching-instances").getByTestId("matching-count")).toHaveText(matchingCount);
}

/** On the group page: opens the edit form. */
export async function editDeploymentGroup(page: Page) {
  await page.getByTestId("edit-deployment-group").click();
  await expect(page.getByTestId("deployment-group-form")).toBeVisible();
}

/** Saves the deployment group form and lands on the group's page. */
export async function submitDeploymentGroupForm(page: Page, app: string, group: string) {
  await page.getByTestId("deployment-group-submit").click();
  await expect(page).toHaveURL(groupPath(app, group));
}

/** On an application's Revisions tab: opens the upload dialog with `file` for `bucket`; not submitted. */
export async function fillUploadRevisionForm(page: Page, file: string, bucket: string): Promise<Locator> {
  await page.getByTestId("upload-revision").first().click();
  const upload = page.getByTestId("upload-revision-dialog");
  await upload.getByTestId("revision-file").setInputFiles(file);
  await upload.getByLabel("Bucket", { exact: true }).fill(bucket);
  await expect(upload.getByLabel("Key", { exact: true })).toHaveValue(path.basename(file));
  return upload;
}

/** Submits the upload dialog; returns the revision's row, once it is listed. */
export async function submitUploadRevisionForm(page: Page, upload: Locator, uri: string): Promise<Locator> {
  await upload.getByTestId("upload-revision-submit").click();
  await expect(upload).toBeHidden();
  const row = page.getByTestId(`revision-row-${uri}`);
  await expect(row).toBeVisible();
  return row;
}

/** On an application's Revisions tab: uploads each file to `bucket` under its own name. */
export async function uploadRevisions(page: Page, files: string[], bucket: string) {
  for (const file of files) {
    const upload = await fillUploadRevisionForm(page, file, bucket);
    await submitUploadRevisionForm(page, upload, `s3://${bucket}/${path.basename(file)}`);
  }
}

/** On a group page: opens the create-deployment form. */
export async function openCreateDeploymentForm(page: Page) {
  await page.getByTestId("create-deployment").first().click();
  await expect(page.getByTestId("create-deployment-form")).toBeVisible();
}

export type DeploymentOptions = { bundleType?: "zip" | "tgz"; content?: "RETAIN" };

/** In the create-deployment form: deploys `location`; returns the new deployment's id. */
export async function submitCreateDeployment(page: Page, location: string, opts: DeploymentOptions = {}): Promise<string> {
  await page.getByLabel("Revision location", { exact: true }).fill(location);
  // The form infers the type from the name; choosing another one is a test's deliberate mistake.
  if (opts.bundleType) await page.getByLabel("Revision file type", { exact: true }).selectOption(opts.bundleType);
  if (opts.content) await page.getByTestId(`content-option-${opts.content}`).check();
  await page.getByTestId("create-deployment-submit").click();
  return currentDeploymentId(page);
}

/** The deployment page's id, once the console has navigated to it. */
export async function currentDeploymentId(page: Page): Promise<string> {
  await expect(page).toHaveURL(DEPLOYMENT_URL);
  return DEPLOYMENT_URL.exec(new URL(page.url()).pathname)![1];
}

/** A value of a details grid, by its label. */
export const detail = (page: Page, label: string) =>
  page.locator("dl > div").filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");

/** On a deployment page: waits for the deployment to reach `status`. */
export async function expectDeploymentStatus(page: Page, status: string, timeout?: number) {
  await expect(page.getByTestId("deployment-status")).toHaveAttribute("data-status", status, { timeout });
}

/** On a deployment page: waits for `text` in the log of a running `event` hook. */
export async function expectRunningHookLine(page: Page, event: string, text: string, timeout?: number) {
  const running = page.locator(`[data-testid$="-${event}"][data-status="InProgress"]`);
  await expect(running.getByTestId("log-line").filter({ hasText: text })).toBeVisible({ timeout });
}

/** On a stopped or failed deployment's page: the id of the rollback deployment it started. */
export async function rollbackDeploymentId(page: Page, timeout?: number): Promise<string> {
  const link = page.getByTestId("rollback-deployment-link");
  await expect(link).toHaveText(/^d-[A-Z0-9]{9}$/, { timeout });
  return (await link.textContent())!.trim();
}
