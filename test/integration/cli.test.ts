// The `slipway` CLI end to end: the real binary as a child process, against the API on a free
// port (real PGlite database in a temp dir) and real sshd test hosts.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServer, type ApiServer } from "../support/api-server";
import { startTestHosts, type TestHosts } from "../support/test-hosts";

const BIN = path.resolve(import.meta.dirname, "../../cli/bin.mjs");
const APP = "CliApp";
const GROUP = "CliGroup";

type Result = { code: number; stdout: string; stderr: string };

describe("slipway CLI", () => {
  let server: ApiServer;
  let harness: TestHosts;
  let home: string;

  /** Runs `node cli/bin.mjs ...args` with its own HOME, so credentials land in the temp dir. */
  function slipway(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<Result> {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, SLIPWAY_URL: server.url, ...opts.env };
    delete env.SLIPWAY_TOKEN;
    delete env.XDG_CONFIG_HOME;
    if (opts.env?.SLIPWAY_TOKEN) env.SLIPWAY_TOKEN = opts.env.SLIPWAY_TOKEN;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      child.once("error", reject);
      child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
      child.stdin.end(opts.input ?? "");
    });
  }
  /** Polls the deployment's log until a line contains `text` (a hook has started). */
  async function waitForLog(deploymentId: string, text: string) {
    for (let i = 0; i < 100; i++) {
      if ((await slipway(["logs", "--deployment-id", deploymentId])).stdout.includes(text)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no log line of ${deploymentId} contains "${text}"`);
  }
  const json = <T = Record<string, unknown>>(r: Result): T => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as T;
  };

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-cli-home-"));
    [server, harness] = await Promise.all([startApiServer(), startTestHosts(2, { prefix: "cli" })]);
  });
  afterAll(async () => {
    await Promise.allSettled([harness?.stop(), server?.stop()]);
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("refuses calls without a token, and with a wrong one", async () => {
    const none = await slipway(["list-applications"]);
    expect(none).toMatchObject({ code: 255, stdout: "" });
    expect(none.stderr).toContain("Not signed in: run `slipway login` or set SLIPWAY_TOKEN");

    const wrong = await slipway(["list-applications"], { env: { SLIPWAY_TOKEN: "not-a-token" } });
    expect(wrong.code).toBe(255);
    expect(wrong.stderr).toMatch(/^An error occurred \(UnauthorizedException\) when calling the ListApplications operation: /);
  });

  it("reports usage errors with exit code 252 and names the option", async () => {
    const missing = await slipway(["create-deployment", "--application-name", APP]);
    expect(missing.code).toBe(252);
    expect(missing.stderr).toContain("the following arguments are required: --deployment-group-name, --s3-location");
    const unknown = await slipway(["list-hosts", "--colour"]);
    expect(unknown.code).toBe(252);
    expect(unknown.stderr).toContain("Unknown options: --colour");
  });

  it("logs in and keeps the token in a 0600 credentials file", async () => {
    const bad = await slipway(["login", "--username", "admin", "--password", "nope"]);
    expect(bad.code).toBe(255);
    expect(bad.stderr).toContain("An error occurred (InvalidCredentialsException) when calling the Login operation: Wrong username or password.");

    const ok = await slipway(["login", "--username", "admin", "--password-stdin"], { input: `${server.adminPassword}\n` });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("Signed in");
    const file = path.join(home, ".config/slipway/credentials.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { token: string }>;
    expect(creds[server.url].token).toMatch(/\S{20,}/);
    expect(json(await slipway(["list-applications"]))).toEqual({ applications: [] });
  });

  it("registers hosts without ever printing the private key", async () => {
    for (const host of harness.hosts) {
      const r = await slipway([
        "register-host", "--name", host.name, "--address", host.address, "--port", String(host.port),
        "--identity-file", harness.privateKeyPath, "--tags", "Key=Name,Value=web", "--fingerprint", host.hostKeyFingerprint,
      ]);
      expect(r.stdout).not.toContain("PRIVATE KEY");
      const { instanceInfo } = json<{ instanceInfo: Record<string, unknown> }>(r);
      expect(instanceInfo).toMatchObject({
        instanceName: host.name,
        port: host.port,
        user: "root",
        hostKeyFingerprint: host.hostKeyFingerprint,
        tags: [{ Key: "Name", Value: "web" }],
      });
    }
    const { instanceInfos } = json<{ instanceInfos: { instanceName: string }[] }>(await slipway(["list-hosts"]));
    expect(instanceInfos.map((h) => h.instanceName)).toEqual(harness.hosts.map((h) => h.name));

    // A public key is refused, and the message quotes neither file.
    const pub = await slipway(["register-host", "--name", "nokey", "--address", "127.0.0.1", "--identity-file", `${harness.privateKeyPath}.pub`]);
    expect(pub.code).toBe(255);
    expect(pub.stderr).toContain("(InvalidPrivateKeyException) when calling the RegisterOnPremisesInstance operation");
    expect(pub.stderr).not.toContain(harness.publicKey.split(" ")[1]);
  });

  it("without --fingerprint: leaves a host untrusted off a terminal, or trusts the shown key with --trust", async () => {
    const [one] = harness.hosts;
    const base = ["--address", one.address, "--port", String(one.port), "--identity-file", harness.privateKeyPath, "--tags", "Key=Name,Value=spare"];
    const untrusted = await slipway(["register-host", "--name", "spare-1", ...base]);
    expect(untrusted.code).toBe(0);
    expect(untrusted.stderr).toContain(`presented the host key ${one.hostKeyFingerprint}`);
    expect(untrusted.stderr).toContain("Left spare-1 untrusted");
    expect(JSON.parse(untrusted.stdout).instanceInfo).toMatchObject({ status: "Untrusted" });
    expect(JSON.parse(untrusted.stdout).instanceInfo.hostKeyFingerprint).toBeUndefined();

    const trusted = await slipway(["register-host", "--name", "spare-2", "--trust", ...base]);
    expect(trusted.code).toBe(0);
    expect(JSON.parse(trusted.stdout).instanceInfo.hostKeyFingerprint).toBe(one.hostKeyFingerprint);

    const trust = json<{ instanceInfo: { hostKeyFingerprint: string } }>(
      await slipway(["trust-host", "--name", "spare-1", "--fingerprint", one.hostKeyFingerprint]),
    );
    expect(trust.instanceInfo.hostKeyFingerprint).toBe(one.hostKeyFingerprint);
    for (const name of ["spare-1", "spare-2"]) expect(await slipway(["deregister-host", "--name", name])).toMatchObject({ code: 0, stderr: "" });
  });

  let deploymentId = "";

  it("creates an application and a deployment group", async () => {
    expect(json(await slipway(["create-application", "--application-name", APP]))).toHaveProperty("applicationId");
    const dup = await slipway(["create-application", "--application-name", APP]);
    expect(dup.code).toBe(255);
    expect(dup.stderr).toMatch(/^An error occurred \(ApplicationAlreadyExistsException\) when calling the CreateApplication operation: /);

    const created = json(await slipway([
      "create-deployment-group", "--application-name", APP, "--deployment-group-name", GROUP,
      "--on-premises-tag-filters", "Key=Name,Value=web,Type=KEY_AND_VALUE",
    ]));
    expect(created).toHaveProperty("deploymentGroupId");
    const { deploymentGroupInfo } = json<{ deploymentGroupInfo: Record<string, unknown> }>(
      await slipway(["get-deployment-group", "--application-name", APP, "--deployment-group-name", GROUP]),
    );
    expect(deploymentGroupInfo).toMatchObject({
      deploymentGroupName: GROUP,
      deploymentConfigName: "CodeDeployDefault.OneAtATime",
      onPremisesInstanceTagFilters: [{ Key: "Name", Value: "web", Type: "KEY_AND_VALUE" }],
    });
    expect(json(await slipway(["list-deployment-groups", "--application-name", APP]))).toEqual({ applicationName: APP, deploymentGroups: [GROUP] });
  });

  it("pushes a folder, deploys it to both hosts and waits for success while following the logs", async () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-cli-src-"));
    fs.mkdirSync(path.join(src, "scripts"));
    fs.writeFileSync(path.join(src, "index.html"), "<h1>hello from the cli</h1>\n");
    fs.writeFileSync(
      path.join(src, "appspec.yml"),
      [
        "version: 0.0",
        "os: linux",
        "files:",
        "  - source: index.html",
        "    destination: /var/www/html",
        "hooks:",
        "  BeforeInstall:",
        "    - location: scripts/before.sh",
        "  ApplicationStart:",
        "    - location: scripts/start.sh",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(src, "scripts/before.sh"), "#!/bin/sh\necho preparing $(hostname)\n", { mode: 0o755 });
    fs.writeFileSync(path.join(src, "scripts/start.sh"), "#!/bin/sh\necho started $(hostname)\necho oops >&2\n", { mode: 0o755 });

    const pushed = await slipway(["push", "--application-name", APP, "--s3-location", "s3://cli-bucket/app/v1.zip", "--source", src]);
    fs.rmSync(src, { recursive: true, force: true });
    expect(pushed.stderr).toBe("");
    expect(pushed.code).toBe(0);
    const command = /slipway create-deployment .*/.exec(pushed.stdout)?.[0] ?? "";
    expect(pushed.stdout).toMatch(/^To deploy with this revision, run:\n/);
    const location = /--s3-location (\S+)/.exec(command)?.[1] ?? "";
    expect(location).toMatch(/^bucket=cli-bucket,key=app\/v1\.zip,bundleType=zip,eTag=\S+$/);
    const { revisions } = json<{ revisions: { s3Location: { key: string } }[] }>(await slipway(["list-application-revisions", "--application-name", APP]));
    expect(revisions.map((r) => r.s3Location.key)).toEqual(["app/v1.zip"]);

    const created = json<{ deploymentId: string }>(await slipway([
      "create-deployment", "--application-name", APP, "--deployment-group-name", GROUP, "--s3-location", location,
      "--file-exists-behavior", "OVERWRITE", "--description", "from the CLI test",
    ]));
    deploymentId = created.deploymentId;
    expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);

    const [followed, waited] = await Promise.all([
      slipway(["logs", "--deployment-id", deploymentId, "--follow"]),
      slipway(["wait", "deployment-successful", "--deployment-id", deploymentId]),
    ]);
    expect(waited).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(followed.code).toBe(0);
    expect(followed.stderr).toBe(`Deployment ${deploymentId} Succeeded.\n`);

    const logs = await slipway(["logs", "--deployment-id", deploymentId]);
    expect(logs.code).toBe(0);
    for (const host of harness.hosts) {
      expect(logs.stdout).toContain(`${host.name} BeforeInstall [stdout] preparing ${host.name}\n`);
      expect(logs.stdout).toContain(`${host.name} ApplicationStart [stdout] started ${host.name}\n`);
      expect(logs.stdout).toContain(`${host.name} ApplicationStart [stderr] oops\n`);
    }
    // Live lines and backlog merged by seq: the same lines, once each, in the same order.
    expect(followed.stdout).toBe(logs.stdout);

    for (const host of harness.hosts)
      expect(fs.readFileSync(host.path("/var/www/html/index.html"), "utf8")).toBe("<h1>hello from the cli</h1>\n");
  });

  it("shows the deployment, its targets and their lifecycle events like CodeDeploy", async () => {
    const { deploymentInfo } = json<{ deploymentInfo: Record<string, unknown> }>(await slipway(["get-deployment", "--deployment-id", deploymentId]));
    expect(deploymentInfo).toMatchObject({
      deploymentId,
      applicationName: APP,
      deploymentGroupName: GROUP,
      status: "Succeeded",
      description: "from the CLI test",
      fileExistsBehavior: "OVERWRITE",
      revision: { revisionType: "S3", s3Location: { bucket: "cli-bucket", key: "app/v1.zip", bundleType: "zip" } },
      deploymentOverview: { Succeeded: 2, Failed: 0, Pending: 0, InProgress: 0, Skipped: 0 },
    });
    expect(typeof deploymentInfo.createTime).toBe("number");
    expect(typeof deploymentInfo.completeTime).toBe("number");
    expect(deploymentInfo.createTime as number).toBeGreaterThan(1.6e9);
    expect(deploymentInfo.createTime as number).toBeLessThan(1e11); // seconds, not milliseconds

    expect(json(await slipway(["list-deployments", "--application-name", APP, "--deployment-group-name", GROUP]))).toEqual({ deployments: [deploymentId] });
    const { targetIds } = json<{ targetIds: string[] }>(await slipway(["list-deployment-targets", "--deployment-id", deploymentId]));
    expect(targetIds.sort()).toEqual(harness.hosts.map((h) => h.name).sort());

    const { deploymentTarget } = json<{
      deploymentTarget: { deploymentTargetType: string; instanceTarget: { targetId: string; status: string; lifecycleEvents: { lifecycleEventName: string; status: string }[] } };
    }>(await slipway(["get-deployment-target", "--deployment-id", deploymentId, "--target-id", harness.hosts[0].name]));
    expect(deploymentTarget.deploymentTargetType).toBe("InstanceTarget");
    expect(deploymentTarget.instanceTarget).toMatchObject({ targetId: harness.hosts[0].name, status: "Succeeded" });
    const events = deploymentTarget.instanceTarget.lifecycleEvents;
    expect(events.map((e) => e.lifecycleEventName)).toEqual(expect.arrayContaining(["DownloadBundle", "BeforeInstall", "Install", "ApplicationStart"]));
    expect(events.every((e) => e.status === "Succeeded")).toBe(true);

    const missing = await slipway(["get-deployment", "--deployment-id", "d-AAAAAAAAA"]);
    expect(missing.code).toBe(255);
    expect(missing.stderr).toMatch(/^An error occurred \(DeploymentDoesNotExistException\) when calling the GetDeployment operation: /);
  });

  it("fails a deployment of a key that does not exist at DownloadBundle, and wait exits 255", async () => {
    const { deploymentId: failedId } = json<{ deploymentId: string }>(await slipway([
      "create-deployment", "--application-name", APP, "--deployment-group-name", GROUP,
      "--s3-location", "bucket=cli-bucket,key=app/missing.zip,bundleType=zip",
    ]));
    const waited = await slipway(["wait", "deployment-successful", "--deployment-id", failedId]);
    expect(waited.code).toBe(255);
    expect(waited.stderr).toContain('Waiter DeploymentSuccessful failed: Waiter encountered a terminal failure state: For expression "deploymentInfo.status" we matched expected path: "Failed"');

    const { deploymentTarget } = json<{
      deploymentTarget: { instanceTarget: { status: string; lifecycleEvents: { lifecycleEventName: string; status: string; diagnostics?: { message?: string } }[] } };
    }>(await slipway(["get-deployment-target", "--deployment-id", failedId, "--target-id", harness.hosts[0].name]));
    const download = deploymentTarget.instanceTarget.lifecycleEvents.find((e) => e.lifecycleEventName === "DownloadBundle");
    expect(download?.status).toBe("Failed");
    expect(download?.diagnostics?.message).toContain("The specified key does not exist.");

    expect(json(await slipway(["list-deployments", "--application-name", APP]))).toEqual({ deployments: [failedId, deploymentId] });
    expect(json(await slipway(["list-deployments", "--include-only-statuses", "Failed"]))).toEqual({ deployments: [failedId] });
  });
  it("pushes a tarball, then stops its deployment mid-hook: wait exits 255 on Stopped", async () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-cli-slow-"));
    fs.mkdirSync(path.join(src, "scripts"));
    fs.writeFileSync(path.join(src, "appspec.yml"), "version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: scripts/slow.sh\n");
    fs.writeFileSync(path.join(src, "scripts/slow.sh"), "#!/bin/sh\necho waiting\nsleep 60\n", { mode: 0o755 });
    const pushed = await slipway(["push", "--application-name", APP, "--s3-location", "s3://cli-bucket/app/slow.tar.gz", "--source", src]);
    fs.rmSync(src, { recursive: true, force: true });
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toContain("--s3-location bucket=cli-bucket,key=app/slow.tar.gz,bundleType=tgz,eTag=");

    const { deploymentId: slowId } = json<{ deploymentId: string }>(await slipway([
      "create-deployment", "--application-name", APP, "--deployment-group-name", GROUP,
      "--s3-location", "s3://cli-bucket/app/slow.tar.gz", "--file-exists-behavior", "OVERWRITE",
    ]));
    await waitForLog(slowId, "waiting"); // stop once the hook runs
    expect(json(await slipway(["stop-deployment", "--deployment-id", slowId]))).toEqual({ status: "Pending", statusMessage: "Stopping deployment" });
    const waited = await slipway(["wait", "deployment-successful", "--deployment-id", slowId, "--timeout", "60"]);
    expect(waited.code).toBe(255);
    expect(waited.stderr).toContain('we matched expected path: "Stopped"');

    const again = await slipway(["stop-deployment", "--deployment-id", slowId]);
    expect(again.code).toBe(255);
    expect(again.stderr).toMatch(/^An error occurred \(DeploymentAlreadyCompletedException\) when calling the StopDeployment operation: /);
  });

  it("sets automatic rollback on groups and deployments, and stops with --auto-rollback-enabled", async () => {
    const noEvents = await slipway([
      "update-deployment-group", "--application-name", APP, "--current-deployment-group-name", GROUP,
      "--auto-rollback-configuration", "enabled=true",
    ]);
    expect(noEvents.code).toBe(255);
    expect(noEvents.stderr).toContain("(InvalidAutoRollbackConfigException)");
    expect(noEvents.stderr).toContain("Automatic rollback is enabled but no event is chosen");

    json(await slipway([
      "update-deployment-group", "--application-name", APP, "--current-deployment-group-name", GROUP,
      "--auto-rollback-configuration", "enabled=true,events=DEPLOYMENT_FAILURE,DEPLOYMENT_STOP_ON_REQUEST",
    ]));
    const group = json<{ deploymentGroupInfo: { autoRollbackConfiguration: unknown } }>(
      await slipway(["get-deployment-group", "--application-name", APP, "--deployment-group-name", GROUP]),
    );
    expect(group.deploymentGroupInfo.autoRollbackConfiguration).toEqual({ enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"] });

    const { deploymentId: overridden } = json<{ deploymentId: string }>(await slipway([
      "create-deployment", "--application-name", APP, "--deployment-group-name", GROUP,
      "--s3-location", "s3://cli-bucket/app/v1.zip", "--bundle-type", "zip", "--file-exists-behavior", "OVERWRITE",
      "--auto-rollback-configuration", "enabled=false",
    ]));
    expect((await slipway(["wait", "deployment-successful", "--deployment-id", overridden])).code).toBe(0);
    const info = json<{ deploymentInfo: { autoRollbackConfiguration: unknown } }>(await slipway(["get-deployment", "--deployment-id", overridden]));
    expect(info.deploymentInfo.autoRollbackConfiguration).toEqual({ enabled: false, events: [] });

    const { deploymentId: slowId } = json<{ deploymentId: string }>(await slipway([
      "create-deployment", "--application-name", APP, "--deployment-group-name", GROUP,
      "--s3-location", "s3://cli-bucket/app/slow.tar.gz", "--file-exists-behavior", "OVERWRITE",
    ]));
    await waitForLog(slowId, "waiting");
    json(await slipway(["stop-deployment", "--deployment-id", slowId, "--auto-rollback-enabled"]));
    expect((await slipway(["wait", "deployment-successful", "--deployment-id", slowId, "--timeout", "60"])).code).toBe(255);
    const stopped = json<{ deploymentInfo: { status: string; rollbackInfo?: { rollbackDeploymentId?: string } } }>(
      await slipway(["get-deployment", "--deployment-id", slowId]),
    );
    expect(stopped.deploymentInfo.status).toBe("Stopped");
    const rollbackId = stopped.deploymentInfo.rollbackInfo?.rollbackDeploymentId ?? "";
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect((await slipway(["wait", "deployment-successful", "--deployment-id", rollbackId])).code).toBe(0);
    const rollback = json<{ deploymentInfo: { creator: string; rollbackInfo: { rollbackTriggeringDeploymentId: string } } }>(
      await slipway(["get-deployment", "--deployment-id", rollbackId]),
    );
    expect(rollback.deploymentInfo.creator).toBe("codeDeployRollback");
    expect(rollback.deploymentInfo.rollbackInfo.rollbackTriggeringDeploymentId).toBe(slowId);
  });
});
