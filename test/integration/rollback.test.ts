import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { alarms } from "../../drizzle/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeBundle, registerFleet, startBackend, type Backend, type DbKind } from "../support/backend";
import { startTestHosts, type TestHosts } from "../support/test-hosts";

const APP = "GetFix-Rollback-App";
const BUCKET = "releases";

/** A static site revision; `startScript` is its ApplicationStart hook. */
const site = (html: string, startScript = "#!/bin/sh\necho started\n", beforeInstall = "#!/bin/sh\necho before\n") => ({
  "appspec.yml": [
    "version: 0.0",
    "os: linux",
    "files:",
    "  - source: /site",
    "    destination: /var/www/html",
    "hooks:",
    "  BeforeInstall:",
    "    - location: scripts/before.sh",
    "      timeout: 60",
    "  ApplicationStart:",
    "    - location: scripts/start.sh",
    "",
  ].join("\n"),
  "scripts/before.sh": beforeInstall,
  "scripts/start.sh": startScript,
  "site/index.html": html,
});

describe.each<DbKind>(["pglite", "postgres"])("rollbacks (%s)", (kind) => {
  let backend: Backend;
  let fleet: TestHosts;
  let group = 0;

  /** A fresh group over the 3 hosts, with a first good deployment of v1 unless told otherwise. */
  async function newGroup(opts: { firstDeploy?: boolean; rollbackEvents?: ("DEPLOYMENT_FAILURE" | "DEPLOYMENT_STOP_ON_REQUEST")[] } = {}) {
    const name = `G${++group}`;
    await backend.caller.deploymentGroups.create({
      applicationName: APP,
      deploymentGroupName: name,
      onPremisesTagFilters: [{ Key: "fleet", Value: kind, Type: "KEY_AND_VALUE" }],
      // Each group installs the same paths; OVERWRITE lets a new group take over the site.
      fileExistsBehavior: "OVERWRITE",
      autoRollbackConfiguration: { enabled: Boolean(opts.rollbackEvents?.length), events: opts.rollbackEvents ?? [] },
    });
    let first: string | null = null;
    if (opts.firstDeploy !== false) {
      first = await deploy(name, `v1-${name}.zip`, site(`<h1>v1 ${name}</h1>\n`));
      expect(await status(first)).toBe("Succeeded");
    }
    return { name, first };
  }
  async function deploy(groupName: string, key: string, files: Record<string, string> | null, wait = true) {
    if (files) await backend.app.ctx.store.put(BUCKET, key, makeBundle(files));
    const { deploymentId } = await backend.caller.deployments.create({
      applicationName: APP,
      deploymentGroupName: groupName,
      revision: { bucket: BUCKET, key, bundleType: "zip" },
    });
    if (wait) await backend.app.ctx.engine.settled(deploymentId);
    return deploymentId;
  }
  const info = async (deploymentId: string) => (await backend.caller.deployments.get({ deploymentId })).deploymentInfo;
  const status = async (deploymentId: string) => (await info(deploymentId)).status;
  const html = (i: number) => fs.readFileSync(fleet.hosts[i].path("/var/www/html/index.html"), "utf8");
  const logText = async (deploymentId: string) => (await backend.caller.deployments.logs({ deploymentId })).map((l) => `${l.targetId} ${l.event} ${l.text}`);

  beforeAll(async () => {
    [backend, fleet] = await Promise.all([startBackend(kind), startTestHosts(3, { prefix: `rb-${kind}` })]);
    await registerFleet(backend.caller, fleet, [{ Key: "fleet", Value: kind }]);
    await backend.caller.applications.create({ applicationName: APP, computePlatform: "Server" });
  });
  afterAll(async () => {
    await fleet?.stop();
    await backend?.close();
  });

  it("rolls every host back when ApplicationStart fails on one host of three", async () => {
    const { name, first } = await newGroup({ rollbackEvents: ["DEPLOYMENT_FAILURE"] });
    // host 2 fails ApplicationStart; host 1 has already taken v2 by then (OneAtATime).
    const failOnHost2 = `#!/bin/sh\nif [ "$(hostname)" = "${fleet.hosts[1].name}" ]; then echo "cannot start" >&2; exit 1; fi\n`;
    const failed = await deploy(name, "v2-bad.zip", site("<h1>v2</h1>\n", failOnHost2));
    const f = await info(failed);
    expect(f.status).toBe("Failed");
    expect(html(0)).toBe("<h1>v2</h1>\n"); // before the rollback ran: engine.settled returns after the failed one only
    const rollbackId = f.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
    expect(rollbackId).not.toBe(failed);
    await backend.app.ctx.engine.settled(rollbackId!);
    const r = await info(rollbackId!);
    expect(r).toMatchObject({
      status: "Succeeded",
      creator: "codeDeployRollback",
      rollbackInfo: { rollbackTriggeringDeploymentId: failed },
      revision: { s3Location: { key: `v1-${name}.zip` } },
      deploymentOverview: { Succeeded: 3 },
    });
    for (let i = 0; i < 3; i++) expect(html(i)).toBe(`<h1>v1 ${name}</h1>\n`);
    // Every host held v1's bundle (the first deployment), so nothing was transferred again.
    const logs = await logText(rollbackId!);
    const sha256 = (await backend.app.ctx.db.query.deployments.findFirst({ where: (d, { eq }) => eq(d.id, first!) }))!.bundleSha256;
    const group = await backend.caller.deploymentGroups.get({ applicationName: APP, deploymentGroupName: name });
    for (const [i, h] of fleet.hosts.entries()) {
      // The hosts have b2sum: the kept copy is checked with BLAKE2b-512, computed here from the host's file.
      const kept = fs.readFileSync(h.path(`/opt/slipway/deployment-root/${group.deploymentGroupId}/${first}/bundle.tar`));
      const b2 = crypto.createHash("blake2b512").update(kept).digest("hex");
      expect(crypto.createHash("sha256").update(kept).digest("hex")).toBe(sha256);
      const archive = `/opt/slipway/deployment-root/${group.deploymentGroupId}/${rollbackId}/deployment-archive`;
      // Hosts 1 and 2 installed v2 before host 2 failed: v1's folder is no longer the installed
      // one there, and its unpacked copy is hard-linked; host 3 never ran v2, so v1's folder is
      // still the installed one and the bundle is unpacked.
      const how = i < 2 ? `Its unpacked copy there still matched the bundle file for file and was hard-linked to ${archive}.` : `Unpacked to ${archive}.`;
      expect(logs).toContain(`${h.name} DownloadBundle Reused the bundle kept on this host from ${first} (b2sum ${b2} verified; bundle sha256 ${sha256}); nothing transferred. ${how}`);
      // Hard-linked: the same files as v1's folder; unpacked: files of their own.
      const ino = (id: string, rel: string) => fs.statSync(h.path(`/opt/slipway/deployment-root/${group.deploymentGroupId}/${id}/deployment-archive/${rel}`)).ino;
      for (const rel of ["site/index.html", "scripts/start.sh", "appspec.yml"]) expect(ino(rollbackId!, rel) === ino(first!, rel)).toBe(i < 2);
    }
    const timeline = await backend.caller.deployments.timeline({ deploymentId: failed });
    expect(timeline.map((e) => e.type)).toContain("RollbackStarted");
  });

  it("hard-links a kept unpacked copy only while it is still exactly the bundle", async () => {
    const { name, first } = await newGroup({ rollbackEvents: ["DEPLOYMENT_FAILURE"] });
    const group = await backend.caller.deploymentGroups.get({ applicationName: APP, deploymentGroupName: name });
    const folder = (id: string) => `/opt/slipway/deployment-root/${group.deploymentGroupId}/${id}/deployment-archive`;
    const kept = (i: number, rel: string) => fleet.hosts[i].path(`${folder(first!)}/${rel}`);
    // Host 1: a byte changed in place (same size, same time); host 2: one file more.
    const original = fs.readFileSync(kept(0, "site/index.html"), "utf8");
    const st = fs.statSync(kept(0, "site/index.html"));
    fs.writeFileSync(kept(0, "site/index.html"), original.replace("v1", "V1"));
    fs.utimesSync(kept(0, "site/index.html"), st.atime, st.mtime);
    fs.writeFileSync(kept(1, "site/extra.html"), "made by a hook\n");
    // Fails at ApplicationStart on host 2, after hosts 1 and 2 installed v2 (host 3 never runs it,
    // so v1's folder stays the installed one there and is not linked from).
    const failSecond = `#!/bin/sh\nif [ "$(hostname)" = "${fleet.hosts[1].name}" ]; then exit 1; fi\n`;
    const failed = await deploy(name, "v2-fails-second.zip", site("<h1>v2</h1>\n", failSecond));
    const rollbackId = (await info(failed)).rollbackInfo!.rollbackDeploymentId!;
    await backend.app.ctx.engine.settled(rollbackId);
    expect(await status(rollbackId)).toBe("Succeeded");
    const logs = await logText(rollbackId);
    const said = (i: number, text: string) => logs.some((l) => l.startsWith(`${fleet.hosts[i].name} DownloadBundle Reused the bundle kept on this host from ${first}`) && l.endsWith(text));
    for (let i = 0; i < 3; i++) expect(said(i, `Unpacked to ${folder(rollbackId)}.`)).toBe(true);
    const mine = (i: number, rel: string) => fleet.hosts[i].path(`${folder(rollbackId)}/${rel}`);
    for (let i = 0; i < 3; i++) {
      expect(html(i)).toBe(original);
      expect(fs.readFileSync(mine(i, "site/index.html"), "utf8")).toBe(original);
    }
    expect(fs.existsSync(mine(1, "site/extra.html"))).toBe(false);
    for (let i = 0; i < 3; i++) expect(fs.statSync(mine(i, "site/index.html")).ino).not.toBe(fs.statSync(kept(i, "site/index.html")).ino);
  });

  it("transfers the bundle again when the kept copy's checksum does not match", async () => {
    const { name, first } = await newGroup({ rollbackEvents: ["DEPLOYMENT_FAILURE"] });
    const group = await backend.caller.deploymentGroups.get({ applicationName: APP, deploymentGroupName: name });
    const kept = fleet.hosts[0].path(`/opt/slipway/deployment-root/${group.deploymentGroupId}/${first}/bundle.tar`);
    // Still a valid tar, with one member more: the kept copy is unpacked while its checksum is
    // computed, and what it unpacked must be gone before the transferred bundle is.
    const stray = fs.mkdtempSync("/tmp/slipway-stray-");
    fs.writeFileSync(`${stray}/stray.html`, "not part of v1\n");
    execFileSync("tar", ["-rf", kept, "-C", stray, "stray.html"]);
    fs.rmSync(stray, { recursive: true });
    const failed = await deploy(name, "v2-broken.zip", site("<h1>v2</h1>\n", "#!/bin/sh\nexit 7\n"));
    const rollbackId = (await info(failed)).rollbackInfo!.rollbackDeploymentId!;
    await backend.app.ctx.engine.settled(rollbackId);
    expect(await status(rollbackId)).toBe("Succeeded");
    const logs = await logText(rollbackId);
    const h1 = fleet.hosts[0].name;
    const tampered = crypto.createHash("blake2b512").update(fs.readFileSync(kept)).digest("hex");
    expect(logs.some((l) => l.startsWith(`${h1} DownloadBundle The bundle kept from ${first} has b2sum ${tampered}, not `))).toBe(true);
    expect(logs.some((l) => l.startsWith(`${h1} DownloadBundle Downloaded s3://${BUCKET}/v1-${name}.zip`))).toBe(true);
    expect(html(0)).toBe(`<h1>v1 ${name}</h1>\n`);
    const archive = fleet.hosts[0].path(`/opt/slipway/deployment-root/${group.deploymentGroupId}/${rollbackId}/deployment-archive`);
    expect(fs.readFileSync(`${archive}/site/index.html`, "utf8")).toBe(`<h1>v1 ${name}</h1>\n`);
    expect(execFileSync("find", [archive, "-name", "stray.html"], { encoding: "utf8" })).toBe("");
  });

  it("does not roll back without an earlier successful deployment, and says why", async () => {
    const { name } = await newGroup({ firstDeploy: false, rollbackEvents: ["DEPLOYMENT_FAILURE"] });
    const failed = await deploy(name, "missing-key.zip", null);
    const f = await info(failed);
    expect(f.status).toBe("Failed");
    expect(f.rollbackInfo).toEqual({
      rollbackMessage:
        "Automatic rollback (DEPLOYMENT_FAILURE) was not performed: the deployment group has no earlier successful deployment to roll back to.",
    });
  });

  it("refuses automatic rollback enabled without any event", async () => {
    const { name } = await newGroup({ firstDeploy: false });
    const noEvents = { enabled: true, events: [] };
    await expect(
      backend.caller.deploymentGroups.update({ applicationName: APP, currentDeploymentGroupName: name, autoRollbackConfiguration: noEvents }),
    ).rejects.toThrow(/Automatic rollback is enabled but no event is chosen/);
    await expect(
      backend.caller.deployments.create({
        applicationName: APP,
        deploymentGroupName: name,
        revision: { bucket: BUCKET, key: "x.zip", bundleType: "zip" },
        autoRollbackConfiguration: noEvents,
      }),
    ).rejects.toThrow(/Automatic rollback is enabled but no event is chosen/);
  });

  it("does not roll back when rollbacks are disabled", async () => {
    const { name } = await newGroup();
    const failed = await deploy(name, "missing-key.zip", null);
    expect((await info(failed)).rollbackInfo).toBeUndefined();
  });

  it("stops a deployment mid-hook, kills the hook, and rolls back when asked", async () => {
    const { name } = await newGroup();
    const slow = "#!/bin/sh\necho sleeping\nsleep 327\n";
    const running = await deploy(name, "v3-slow.zip", site("<h1>v3</h1>\n", undefined, slow), false);
    await waitFor(async () => (await logText(running)).some((l) => l.endsWith("BeforeInstall sleeping")));
    const answer = await backend.caller.deployments.stop({ deploymentId: running, autoRollbackEnabled: true });
    expect(answer.status).toBe("Pending");
    await backend.app.ctx.engine.settled(running);
    const s = await info(running);
    expect(s.status).toBe("Stopped");
    expect(s.errorInformation).toEqual({ code: "MANUAL_STOP", message: "The deployment was stopped by a user request." });
    expect(fleet.hosts[0].processes().filter((p) => p.startsWith("sleep"))).toEqual([]);
    const targets = await backend.caller.deployments.targets({ deploymentId: running });
    expect(targets.map((t) => t.status)).toEqual(["Failed", "Skipped", "Skipped"]);
    const rollbackId = s.rollbackInfo!.rollbackDeploymentId!;
    await backend.app.ctx.engine.settled(rollbackId);
    expect(await status(rollbackId)).toBe("Succeeded");
    for (let i = 0; i < 3; i++) expect(html(i)).toBe(`<h1>v1 ${name}</h1>\n`);
    await expect(backend.caller.deployments.stop({ deploymentId: running })).rejects.toThrow(/has already completed/);
  });

  it("stops without a rollback when not asked", async () => {
    const { name } = await newGroup();
    const running = await deploy(name, "v4-slow.zip", site("<h1>v4</h1>\n", undefined, "#!/bin/sh\necho sleeping\nsleep 328\n"), false);
    await waitFor(async () => (await logText(running)).some((l) => l.endsWith("BeforeInstall sleeping")));
    await backend.caller.deployments.stop({ deploymentId: running });
    await backend.app.ctx.engine.settled(running);
    const s = await info(running);
    expect(s.status).toBe("Stopped");
    expect(s.rollbackInfo).toBeUndefined();
  });

  it("stops with ALARM_ACTIVE when an HTTP alarm goes into ALARM mid-deployment, and rolls back", async () => {
    let healthy = true;
    const checked: string[] = [];
    const health = http.createServer((req, res) => {
      checked.push(req.url ?? "");
      res.writeHead(healthy ? 200 : 503).end(healthy ? "ok" : "down");
    });
    await new Promise<void>((r) => health.listen(0, "127.0.0.1", r));
    const port = (health.address() as { port: number }).port;
    try {
      await backend.app.ctx.db.insert(alarms).values({
        name: `site-health-${kind}`,
        type: "http",
        url: `http://127.0.0.1:${port}/health?host={host}`,
        intervalSeconds: 1,
        failuresToAlarm: 2,
      });
      const { name } = await newGroup();
      await backend.caller.deploymentGroups.update({
        applicationName: APP,
        currentDeploymentGroupName: name,
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_STOP_ON_ALARM"] },
        alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: `site-health-${kind}` }] },
      });
      const running = await deploy(name, "v6-slow.zip", site("<h1>v6</h1>\n", undefined, "#!/bin/sh\necho sleeping\nsleep 329\n"), false);
      await waitFor(async () => (await logText(running)).some((l) => l.endsWith("BeforeInstall sleeping")));
      expect(checked.length).toBeGreaterThan(0);
      expect(checked[0]).toBe("/health?host=127.0.0.1");
      healthy = false;
      await backend.app.ctx.engine.settled(running);
      const s = await info(running);
      expect(s.status).toBe("Stopped");
      expect(s.errorInformation?.code).toBe("ALARM_ACTIVE");
      expect(s.errorInformation?.message).toContain(`Alarm "site-health-${kind}" is in ALARM`);
      expect(fleet.hosts[0].processes().filter((p) => p.startsWith("sleep"))).toEqual([]);
      healthy = true;
      const rollbackId = s.rollbackInfo!.rollbackDeploymentId!;
      expect(s.rollbackInfo!.rollbackMessage).toContain("DEPLOYMENT_STOP_ON_ALARM");
      await backend.app.ctx.engine.settled(rollbackId);
      expect(await status(rollbackId)).toBe("Succeeded");
      for (let i = 0; i < 3; i++) expect(html(i)).toBe(`<h1>v1 ${name}</h1>\n`);
    } finally {
      health.close();
    }
  });

  it("keeps watching alarms for the bake time after the last host, and stops on an alarm then", async () => {
    let healthy = true;
    const health = http.createServer((_req, res) => res.writeHead(healthy ? 200 : 503).end());
    await new Promise<void>((r) => health.listen(0, "127.0.0.1", r));
    const port = (health.address() as { port: number }).port;
    try {
      await backend.app.ctx.db.insert(alarms).values({ name: `bake-${kind}`, type: "http", url: `http://127.0.0.1:${port}/`, intervalSeconds: 1, failuresToAlarm: 1 });
      const { name } = await newGroup();
      await backend.caller.deploymentGroups.update({
        applicationName: APP,
        currentDeploymentGroupName: name,
        autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_STOP_ON_ALARM"] },
        alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: `bake-${kind}` }] },
        bakeTimeSeconds: 30,
      });
      const baking = await deploy(name, "v7.zip", site("<h1>v7</h1>\n"), false);
      await waitFor(async () => (await backend.caller.deployments.timeline({ deploymentId: baking })).some((e) => e.type === "BakeStarted"));
      const during = await info(baking);
      expect(during.status).toBe("InProgress");
      expect(during.deploymentOverview.Succeeded).toBe(3);
      healthy = false;
      await backend.app.ctx.engine.settled(baking);
      const s = await info(baking);
      expect(s).toMatchObject({ status: "Stopped", errorInformation: { code: "ALARM_ACTIVE" } });
      const rollbackId = s.rollbackInfo!.rollbackDeploymentId!;
      await backend.app.ctx.engine.settled(rollbackId);
      expect(await status(rollbackId)).toBe("Succeeded");
      for (let i = 0; i < 3; i++) expect(html(i)).toBe(`<h1>v1 ${name}</h1>\n`);
    } finally {
      health.close();
    }
  });

  it("redeploys an earlier revision as a normal deployment", async () => {
    const { name, first } = await newGroup();
    await deploy(name, "v5.zip", site("<h1>v5</h1>\n"));
    expect(html(2)).toBe("<h1>v5</h1>\n");
    const { deploymentId } = await backend.caller.deployments.redeploy({ deploymentId: first! });
    await backend.app.ctx.engine.settled(deploymentId);
    expect(await info(deploymentId)).toMatchObject({ status: "Succeeded", creator: "user" });
    expect(html(2)).toBe(`<h1>v1 ${name}</h1>\n`);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not met in time");
}
