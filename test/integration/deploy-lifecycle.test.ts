import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBundle, registerFleet, startBackend, type Backend, type DbKind } from "../support/backend";
import { startTestHosts, type TestHosts } from "../support/test-hosts";

const APP = "WebApp";
const GROUP = "WebApp-DG";
const BUCKET = "revisions";

const appspec = (hooks: string, files = "  - source: /site\n    destination: /var/www/html\n") =>
  `version: 0.0\nos: linux\nfiles:\n${files}hooks:\n${hooks}`;

/** A hook script that appends what it sees to /srv/hooks.log on the host. */
const recorder = (tag: string) =>
  `#!/bin/sh\necho "${tag} $LIFECYCLE_EVENT $DEPLOYMENT_ID $APPLICATION_NAME $DEPLOYMENT_GROUP_NAME $DEPLOYMENT_GROUP_ID $BUNDLE_BUCKET $BUNDLE_KEY" >> /srv/hooks.log\necho "hello from ${tag} $LIFECYCLE_EVENT"\n`;

const allHooks = (tag: string) =>
  ["ApplicationStop", "BeforeInstall", "AfterInstall", "ApplicationStart", "ValidateService"]
    .map((e) => `  ${e}:\n    - location: scripts/record.sh\n      timeout: 30\n`)
    .join("") + `# ${tag}\n`;

const revision = (tag: string, site: Record<string, string>) => ({
  "appspec.yml": appspec(allHooks(tag)),
  "scripts/record.sh": recorder(tag),
  ...Object.fromEntries(Object.entries(site).map(([k, v]) => [`site/${k}`, v])),
});

describe.each<DbKind>(["pglite", "postgres"])("in-place deployment over SSH (%s)", (kind) => {
  let backend: Backend;
  let fleet: TestHosts;

  async function deploy(key: string, files: Record<string, string> | null, opts: { bundleType?: "zip" | "tar" | "tgz"; declared?: "zip" | "tar" | "tgz"; fileExistsBehavior?: "DISALLOW" | "OVERWRITE" | "RETAIN" } = {}) {
    const type = opts.bundleType ?? "zip";
    if (files) await backend.app.ctx.store.put(BUCKET, key, makeBundle(files, type));
    const { deploymentId } = await backend.caller.deployments.create({
      applicationName: APP,
      deploymentGroupName: GROUP,
      revision: { bucket: BUCKET, key, bundleType: opts.declared ?? type },
      fileExistsBehavior: opts.fileExistsBehavior,
    });
    await backend.app.ctx.engine.settled(deploymentId);
    const { deploymentInfo } = await backend.caller.deployments.get({ deploymentId });
    const targets = await backend.caller.deployments.targets({ deploymentId });
    return { deploymentId, info: deploymentInfo, targets };
  }
  const event = (t: { lifecycleEvents: { lifecycleEventName: string; status: string; diagnostics?: { errorCode: string; message: string; logTail: string } }[] }, name: string) =>
    t.lifecycleEvents.find((e) => e.lifecycleEventName === name)!;
  const read = (i: number, p: string) => fs.readFileSync(fleet.hosts[i].path(p), "utf8");
  const exists = (i: number, p: string) => fs.existsSync(fleet.hosts[i].path(p));

  beforeAll(async () => {
    [backend, fleet] = await Promise.all([startBackend(kind), startTestHosts(3, { prefix: `web-${kind}` })]);
    await registerFleet(backend.caller, fleet, [{ Key: "Name", Value: "web" }]);
    await backend.caller.applications.create({ applicationName: APP, computePlatform: "Server" });
    await backend.caller.deploymentGroups.create({
      applicationName: APP,
      deploymentGroupName: GROUP,
      onPremisesTagFilters: [{ Key: "Name", Value: "web", Type: "KEY_AND_VALUE" }],
    });
  });
  afterAll(async () => {
    await fleet?.stop();
    await backend?.close();
  });

  it("runs the full lifecycle on every host, with CodeDeploy's environment in the hooks", async () => {
    const { deploymentId, info, targets } = await deploy("site-v1.zip", revision("v1", { "index.html": "<h1>v1</h1>\n", "old.html": "old\n" }));
    expect(info.status).toBe("Succeeded");
    expect(info.deploymentOverview.Succeeded).toBe(3);
    expect(typeof info.createTime).toBe("number");
    expect(targets.map((t) => t.status)).toEqual(["Succeeded", "Succeeded", "Succeeded"]);
    for (const t of targets) expect(t.lifecycleEvents.map((e) => e.status)).toEqual(Array(7).fill("Succeeded"));
    const group = await backend.caller.deploymentGroups.get({ applicationName: APP, deploymentGroupName: GROUP });
    for (let i = 0; i < 3; i++) {
      expect(read(i, "/var/www/html/index.html")).toBe("<h1>v1</h1>\n");
      const log = read(i, "/srv/hooks.log").trim().split("\n");
      // First install: ApplicationStop has no previous revision to run.
      expect(log.map((l) => l.split(" ")[1])).toEqual(["BeforeInstall", "AfterInstall", "ApplicationStart", "ValidateService"]);
      expect(log[0]).toBe(`v1 BeforeInstall ${deploymentId} ${APP} ${GROUP} ${group.deploymentGroupId} ${BUCKET} site-v1.zip`);
      const root = `/opt/slipway/deployment-root`;
      expect(read(i, `${root}/deployment-instructions/${group.deploymentGroupId}_last_successful_install`).trim()).toBe(
        `${root}/${group.deploymentGroupId}/${deploymentId}`,
      );
      expect(read(i, `${root}/deployment-instructions/${group.deploymentGroupId}-cleanup`)).toContain("/var/www/html/index.html\n");
      expect(read(i, `${root}/${group.deploymentGroupId}/${deploymentId}/logs/scripts.log`)).toContain("hello from v1 ValidateService");
    }
    const logs = await backend.caller.deployments.logs({ deploymentId });
    expect(logs.filter((l) => l.text === "hello from v1 AfterInstall").map((l) => l.targetId).sort()).toEqual(fleet.hosts.map((h) => h.name).sort());
    expect(logs.map((l) => l.seq)).toEqual(logs.map((_, i) => i + 1));
  });

  it("runs the previous revision's ApplicationStop and removes files the new revision lacks", async () => {
    await fs.promises.writeFile(fleet.hosts[0].path("/srv/hooks.log"), "");
    const { info } = await deploy("site-v2.zip", revision("v2", { "index.html": "<h1>v2</h1>\n" }));
    expect(info.status).toBe("Succeeded");
    for (let i = 0; i < 3; i++) {
      expect(read(i, "/var/www/html/index.html")).toBe("<h1>v2</h1>\n");
      expect(exists(i, "/var/www/html/old.html")).toBe(false);
    }
    const log = read(0, "/srv/hooks.log").trim().split("\n");
    expect(log[0].startsWith("v1 ApplicationStop ")).toBe(true); // the installed revision's script
    expect(log.slice(1).every((l) => l.startsWith("v2 "))).toBe(true);
  });

  it("fails Install on a DISALLOW conflict before touching the previous revision's files", async () => {
    await fs.promises.writeFile(fleet.hosts[0].path("/var/www/html/conflict.txt"), "mine\n");
    const { info, targets } = await deploy("site-v3.zip", revision("v3", { "index.html": "<h1>v3</h1>\n", "conflict.txt": "theirs\n" }));
    expect(info.status).toBe("Failed");
    const install = event(targets[0], "Install");
    expect(install.status).toBe("Failed");
    expect(install.diagnostics!.message).toContain(
      "The deployment failed because a specified file already exists at this location: /var/www/html/conflict.txt",
    );
    expect(event(targets[0], "AfterInstall").status).toBe("Skipped");
    expect(targets.slice(1).map((t) => t.status)).toEqual(["Skipped", "Skipped"]);
    expect(read(0, "/var/www/html/index.html")).toBe("<h1>v2</h1>\n");
    expect(read(0, "/var/www/html/conflict.txt")).toBe("mine\n");
    await fs.promises.rm(fleet.hosts[0].path("/var/www/html/conflict.txt"));
  });

  it("finds a DISALLOW conflict deep in a revision of hundreds of files (the probe answers in chunks)", async () => {
    const many = Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`many/f${String(i).padStart(3, "0")}.html`, `${i}\n`]));
    fs.mkdirSync(fleet.hosts[0].path("/var/www/html/many"), { recursive: true });
    await fs.promises.writeFile(fleet.hosts[0].path("/var/www/html/many/f420.html"), "mine\n");
    const { info, targets } = await deploy("site-many.zip", revision("many", { "index.html": "<h1>many</h1>\n", ...many }));
    expect(info.status).toBe("Failed");
    expect(event(targets[0], "Install").diagnostics!.message).toContain(
      "The deployment failed because a specified file already exists at this location: /var/www/html/many/f420.html",
    );
    expect(read(0, "/var/www/html/index.html")).toBe("<h1>v2</h1>\n");
    expect(fs.readdirSync(fleet.hosts[0].path("/var/www/html/many"))).toEqual(["f420.html"]);
    await fs.promises.rm(fleet.hosts[0].path("/var/www/html/many"), { recursive: true });
  });

  it("kills a timed-out hook's whole process group, background children included", async () => {
    const files = {
      "appspec.yml": appspec("  BeforeInstall:\n    - location: scripts/hang.sh\n      timeout: 2\n"),
      "scripts/hang.sh": "#!/bin/sh\necho started\nsleep 313 &\nsleep 314\n",
      "site/index.html": "x\n",
    };
    const { info, targets } = await deploy("hang.zip", files);
    expect(info.status).toBe("Failed");
    const before = event(targets[0], "BeforeInstall");
    expect(before.diagnostics).toMatchObject({
      errorCode: "ScriptTimedOut",
      message: "Script at specified location: scripts/hang.sh failed to complete in 2 seconds",
    });
    expect(before.diagnostics!.logTail).toContain("started");
    expect(fleet.hosts[0].processes().filter((p) => p.startsWith("sleep"))).toEqual([]);
  });

  it("runs a hook as another user with runas, and reports its failure", async () => {
    const files = {
      "appspec.yml": appspec("  AfterInstall:\n    - location: scripts/who.sh\n      runas: nobody\n"),
      "scripts/who.sh": "#!/bin/sh\necho \"running as $(id -un) for $DEPLOYMENT_ID\"\nexit 3\n",
      "site/index.html": "x\n",
    };
    const { deploymentId, targets } = await deploy("runas.zip", files);
    const after = event(targets[0], "AfterInstall");
    expect(after.diagnostics).toMatchObject({
      errorCode: "ScriptFailed",
      message: "Script at specified location: scripts/who.sh run as user nobody failed with exit code 3",
    });
    const logs = await backend.caller.deployments.logs({ deploymentId });
    expect(logs.some((l) => l.text === `running as nobody for ${deploymentId}` && l.stream === "stdout")).toBe(true);
  });

  it("fails DownloadBundle when the key does not exist, and leaves the site alone", async () => {
    const { info, targets } = await deploy("no-such-key.zip", null);
    expect(info.status).toBe("Failed");
    expect(event(targets[0], "DownloadBundle").diagnostics!.message).toContain("The specified key does not exist.");
    expect(event(targets[0], "ApplicationStop").status).toBe("Succeeded");
    expect(read(0, "/var/www/html/index.html")).toBe("x\n");
  });

  it("fails DownloadBundle when the declared bundle type does not match the object", async () => {
    const { targets } = await deploy("site-v4.zip", revision("v4", { "index.html": "v4\n" }), { declared: "tgz" });
    const msg = event(targets[0], "DownloadBundle").diagnostics!.message;
    expect(msg).toMatch(/tgz/);
    expect(msg).toMatch(/zip/);
  });

  it("refuses a zip-slip bundle before anything reaches a host", async () => {
    const evil = makeBundle({ "appspec.yml": appspec(""), "site/index.html": "x\n" });
    // Rewrite one entry name in place (same length) so it escapes: "site/index.html" -> "../../../x.html"
    const patched = Buffer.from(evil.toString("latin1").split("site/index.html").join("../../../x.html"), "latin1");
    await backend.app.ctx.store.put(BUCKET, "evil.zip", patched);
    const { info, targets } = await deploy("evil.zip", null);
    expect(info.status).toBe("Failed");
    expect(event(targets[0], "DownloadBundle").diagnostics!.message).toMatch(/outside/);
    expect(fs.existsSync(fleet.hosts[0].path("/srv/x.html"))).toBe(false);
  });

  it("runs every step of a host through one runner, which the next deployment on the pooled connection reuses", async () => {
    const runners = () => fleet.hosts[0].processes().filter((p) => p.includes("@@slipway-") && p.includes(" done "));
    const first = await deploy("runner-a.zip", revision("ra", { "index.html": "ra\n" }));
    expect(first.info.status).toBe("Succeeded");
    const after1 = runners();
    expect(after1).toHaveLength(1);
    const second = await deploy("runner-b.zip", revision("rb", { "index.html": "rb\n" }));
    expect(second.info.status).toBe("Succeeded");
    // The same program, marker and all: the runner the first deployment left, not a new one.
    expect(runners()).toEqual(after1);
    expect(read(0, "/var/www/html/index.html")).toBe("rb\n");
  });

  it("is not confused by a background child of a hook that keeps writing to the runner's output", async () => {
    const files = {
      "appspec.yml": appspec(
        "  BeforeInstall:\n    - location: scripts/noisy.sh\n  AfterInstall:\n    - location: scripts/after.sh\n",
        "  - source: /site\n    destination: /var/www/html\n",
      ),
      // The child keeps the hook's stdout (the runner's channel) and writes during probe and install.
      "scripts/noisy.sh": "#!/bin/sh\n( i=0; while [ $i -lt 60 ]; do echo \"noise $i r k d\"; echo \"err $i\" >&2; i=$((i+1)); sleep 0.02; done ) &\necho started\n",
      "scripts/after.sh": "#!/bin/sh\necho after-ran\n",
      "site/index.html": "quiet\n",
      "site/sub/page.html": "page\n",
    };
    const { deploymentId, info, targets } = await deploy("noisy.zip", files);
    expect(info.status).toBe("Succeeded");
    expect(targets.every((t) => t.status === "Succeeded")).toBe(true);
    for (let i = 0; i < 3; i++) {
      expect(read(i, "/var/www/html/index.html")).toBe("quiet\n");
      expect(read(i, "/var/www/html/sub/page.html")).toBe("page\n");
    }
    const logs = await backend.caller.deployments.logs({ deploymentId });
    expect(logs.some((l) => l.text === "after-ran" && l.event === "AfterInstall")).toBe(true);
  });

  it("keeps the last 5 deployment folders of the group on each host (and the installed one)", async () => {
    for (const n of [1, 2, 3, 4, 5, 6])
      expect((await deploy(`keep-${n}.zip`, revision(`k${n}`, { "index.html": `k${n}\n` }))).info.status).toBe("Succeeded");
    const group = await backend.caller.deploymentGroups.get({ applicationName: APP, deploymentGroupName: GROUP });
    const dir = fleet.hosts[0].path(`/opt/slipway/deployment-root/${group.deploymentGroupId}`);
    const last = fs.readFileSync(fleet.hosts[0].path(`/opt/slipway/deployment-root/deployment-instructions/${group.deploymentGroupId}_last_successful_install`), "utf8");
    // Pruning runs in the background on the host once the deployment is done.
    await expect.poll(() => fs.readdirSync(dir).length, { timeout: 10_000 }).toBe(5);
    expect(fs.readdirSync(dir)).toContain(last.trim().split("/").pop());
  });

  it("leaves files that are already in place byte for byte, and copies the rest", async () => {
    // Inode and change time: a file removed and copied again gets a new ctime (even if the file
    // system hands out the same inode number again).
    const inode = (i: number, p: string) => {
      const st = fs.statSync(fleet.hosts[i].path(p));
      return `${st.ino}/${st.ctimeMs}`;
    };
    const v1 = { "a.html": "same a\n", "b.html": "old b\n", "sub/c.css": "same c\n" };
    expect((await deploy("same-1.zip", revision("s1", v1))).info.status).toBe("Succeeded");
    const before = [0, 1].map((i) => ({ a: inode(i, "/var/www/html/a.html"), c: inode(i, "/var/www/html/sub/c.css") }));
    const v2 = { "a.html": "same a\n", "b.html": "new b, longer\n", "sub/c.css": "same c\n", "d.html": "new d\n" };
    const second = await deploy("same-2.zip", revision("s2", v2));
    expect(second.info.status).toBe("Succeeded");
    for (const i of [0, 1]) {
      expect(inode(i, "/var/www/html/a.html")).toBe(before[i].a);
      expect(inode(i, "/var/www/html/sub/c.css")).toBe(before[i].c);
      expect(read(i, "/var/www/html/b.html")).toBe("new b, longer\n");
      expect(read(i, "/var/www/html/d.html")).toBe("new d\n");
    }
    const logs = await backend.caller.deployments.logs({ deploymentId: second.deploymentId });
    expect(logs.filter((l) => l.event === "Install" && l.text.includes("keep 2 file(s) already in place byte for byte"))).toHaveLength(3);
    const group = await backend.caller.deploymentGroups.get({ applicationName: APP, deploymentGroupName: GROUP });
    const cleanup = read(0, `/opt/slipway/deployment-root/deployment-instructions/${group.deploymentGroupId}-cleanup`);
    for (const f of ["a.html", "b.html", "sub/c.css", "d.html"]) expect(cleanup).toContain(`/var/www/html/${f}\n`);

    // Same size, other bytes: only the checksum tells, and the file is copied again.
    fs.writeFileSync(fleet.hosts[0].path("/var/www/html/a.html"), "SAME A\n");
    expect((await deploy("same-3.zip", revision("s3", v2))).info.status).toBe("Succeeded");
    expect(read(0, "/var/www/html/a.html")).toBe("same a\n");
    expect(inode(0, "/var/www/html/a.html")).not.toBe(before[0].a);
    expect(inode(1, "/var/www/html/a.html")).toBe(before[1].a);
  });

  it("refuses a second deployment while one is active", async () => {
    await backend.app.ctx.store.put(BUCKET, "slow.zip", makeBundle({
      "appspec.yml": appspec("  BeforeInstall:\n    - location: scripts/slow.sh\n"),
      "scripts/slow.sh": "#!/bin/sh\nsleep 1\n",
      "site/index.html": "slow\n",
    }));
    const first = await backend.caller.deployments.create({ applicationName: APP, deploymentGroupName: GROUP, revision: { bucket: BUCKET, key: "slow.zip", bundleType: "zip" } });
    await expect(
      backend.caller.deployments.create({ applicationName: APP, deploymentGroupName: GROUP, revision: { bucket: BUCKET, key: "slow.zip", bundleType: "zip" } }),
    ).rejects.toThrow(`The Deployment Group '${GROUP}' already has an active Deployment '${first.deploymentId}'`);
    await expect(backend.caller.applications.remove({ applicationName: APP })).rejects.toThrow(
      `Application "${APP}" cannot be deleted while deployment ${first.deploymentId} is in progress.`,
    );
    await backend.app.ctx.engine.settled(first.deploymentId);
    expect((await backend.caller.deployments.get(first)).deploymentInfo.status).toBe("Succeeded");
  });
});
