import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { alarmResults, alarms, deploymentGroups, hosts, type AlarmConfiguration } from "../../drizzle/schema";
import { watchAlarms, type AlarmEvent } from "../../server/alarms/monitor";
import { startBackend, type Backend, type DbKind } from "../support/backend";
import { startTestHosts, type TestHosts } from "../support/test-hosts";

const APP = "AlarmApp";
const WEB = "Web"; // the two real hosts
const MIXED = "Mixed"; // the two real hosts and one nobody answers on
const IMPOSTOR = "Impostor"; // a real sshd presenting another host key than the one trusted

/** A site whose health the test sets: status and body of GET /health. */
function startSite() {
  const site = { status: 200, body: "status: healthy", hits: 0 };
  const server = http.createServer((req, res) => {
    site.hits++;
    res.writeHead(req.url === "/health" ? site.status : 404, { "content-type": "text/plain" }).end(site.body);
  });
  return new Promise<{ site: typeof site; port: number; close: () => Promise<void> }>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        site,
        port,
        close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}

/** A 127.0.0.1 port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each<DbKind>(["pglite", "postgres"])("alarms (%s)", (kind) => {
  let backend: Backend;
  let fleet: TestHosts;
  let web: Awaited<ReturnType<typeof startSite>>;
  const healthUrl = () => `http://{host}:${web.port}/health`;
  const evaluate = (name: string, group = WEB) =>
    backend.caller.alarms.evaluate({ name, applicationName: APP, deploymentGroupName: group });
  const hostRows = async (names: string[]) => (await backend.app.ctx.db.select().from(hosts)).filter((h) => names.includes(h.name));
  const setHealthy = (i: number, healthy: boolean) => {
    const file = fleet.hosts[i].path("/srv/healthy");
    if (healthy) fs.writeFileSync(file, "ok\n");
    else fs.rmSync(file, { force: true });
  };

  beforeAll(async () => {
    [backend, fleet, web] = await Promise.all([startBackend(kind), startTestHosts(2, { prefix: `alarm-${kind}` }), startSite()]);
    for (const h of fleet.hosts)
      await backend.caller.hosts.register({
        name: h.name, address: h.address, port: h.port, username: "root",
        privateKey: fleet.privateKey, fingerprint: h.hostKeyFingerprint, tags: [{ Key: "Name", Value: "web" }],
      });
    await backend.caller.hosts.register({
      name: "alarm-down", address: "127.0.0.1", port: await closedPort(), username: "root",
      privateKey: fleet.privateKey, fingerprint: fleet.hosts[0].hostKeyFingerprint, tags: [{ Key: "Name", Value: "down" }],
    });
    await backend.caller.hosts.register({
      name: "alarm-impostor", address: "127.0.0.1", port: fleet.hosts[0].port, username: "root",
      privateKey: fleet.privateKey, fingerprint: fleet.hosts[1].hostKeyFingerprint, tags: [{ Key: "Name", Value: "impostor" }],
    });
    await backend.caller.applications.create({ applicationName: APP, computePlatform: "Server" });
    await backend.caller.deploymentGroups.create({
      applicationName: APP, deploymentGroupName: WEB, onPremisesTagFilters: [{ Key: "Name", Value: "web", Type: "KEY_AND_VALUE" }],
    });
    await backend.caller.deploymentGroups.create({
      applicationName: APP, deploymentGroupName: MIXED,
      onPremisesTagFilters: [{ Key: "Name", Value: "web", Type: "KEY_AND_VALUE" }, { Key: "Name", Value: "down", Type: "KEY_AND_VALUE" }],
    });
    await backend.caller.deploymentGroups.create({
      applicationName: APP, deploymentGroupName: IMPOSTOR, onPremisesTagFilters: [{ Key: "Name", Value: "impostor", Type: "KEY_AND_VALUE" }],
    });
  });
  afterAll(async () => {
    await fleet?.stop();
    await web?.close();
    await backend?.close();
  });

  it("an HTTP alarm goes to ALARM after N consecutive failures and back to OK", async () => {
    web.site.status = 200;
    await backend.caller.alarms.create({ name: "web-health", type: "http", url: healthUrl(), expectedStatus: 200, timeoutSeconds: 2, intervalSeconds: 1, failuresToAlarm: 2 });
    expect((await backend.caller.alarms.get({ name: "web-health" })).state).toBe("INSUFFICIENT_DATA");

    expect(await evaluate("web-health")).toMatchObject({ outcome: "ok", state: "OK" });
    web.site.status = 500;
    const first = await evaluate("web-health");
    expect(first).toMatchObject({ outcome: "failed", state: "OK" });
    expect(first.message).toContain(`${fleet.hosts[0].name}: GET http://127.0.0.1:${web.port}/health returned 500, expected 200`);
    const second = await evaluate("web-health");
    expect(second.state).toBe("ALARM");
    const [listed] = await backend.caller.alarms.list();
    expect(listed).toMatchObject({ alarmName: "web-health", state: "ALARM", consecutiveFailures: 2, url: healthUrl(), failuresToAlarm: 2 });
    expect(listed.stateReason).toMatch(/^2 consecutive failed checks \(threshold 2\): .*returned 500, expected 200/);
    expect(listed.lastEvaluatedAt).toBeInstanceOf(Date);

    web.site.status = 200;
    expect(await evaluate("web-health")).toMatchObject({ outcome: "ok", state: "OK" });
    expect((await backend.caller.alarms.get({ name: "web-health" })).consecutiveFailures).toBe(0);

    // One result per host per evaluation, newest first.
    const results = await backend.caller.alarms.results({ name: "web-health", limit: 4 });
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(results.map((r) => r.target).sort()).toEqual([fleet.hosts[0].name, fleet.hosts[0].name, fleet.hosts[1].name, fleet.hosts[1].name].sort());
  });

  it("checks the body text, and a site that refuses connections is a failure, not a poll error", async () => {
    web.site.body = "status: degraded";
    await backend.caller.alarms.create({ name: "web-body", type: "http", url: healthUrl(), bodyContains: "healthy", timeoutSeconds: 2, intervalSeconds: 1, failuresToAlarm: 1 });
    const r = await evaluate("web-body");
    expect(r).toMatchObject({ outcome: "failed", state: "ALARM" });
    expect(r.message).toContain('returned 200 but the body does not contain "healthy"');
    web.site.body = "status: healthy";
    expect(await evaluate("web-body")).toMatchObject({ outcome: "ok", state: "OK" });

    const port = await closedPort();
    await backend.caller.alarms.create({ name: "web-refused", type: "http", url: `http://127.0.0.1:${port}/health`, timeoutSeconds: 2, intervalSeconds: 1, failuresToAlarm: 1 });
    const refused = await evaluate("web-refused");
    expect(refused).toMatchObject({ outcome: "failed", state: "ALARM" });
    expect(refused.message).toBe(`GET http://127.0.0.1:${port}/health failed: connection refused`);
  });

  it("a command alarm runs on each host over SSH and names the unhealthy host", async () => {
    setHealthy(0, true);
    setHealthy(1, false);
    await backend.caller.alarms.create({ name: "srv-healthy", type: "command", command: "test -f /srv/healthy || { echo 'no /srv/healthy here' >&2; exit 3; }", timeoutSeconds: 10, intervalSeconds: 1, failuresToAlarm: 1 });
    const r = await evaluate("srv-healthy");
    expect(r).toMatchObject({ outcome: "failed", state: "ALARM" });
    expect(r.message).toContain(`${fleet.hosts[1].name}: \``);
    expect(r.message).toContain("exited 3: no /srv/healthy here");
    expect(r.message).not.toContain(fleet.hosts[0].name);
    setHealthy(1, true);
    expect(await evaluate("srv-healthy")).toMatchObject({ outcome: "ok", state: "OK", message: "All 2 checks passed" });
  });

  it("a host that cannot be reached over SSH is a poll error: INSUFFICIENT_DATA, not a failure", async () => {
    setHealthy(0, true);
    setHealthy(1, true);
    const r = await evaluate("srv-healthy", MIXED);
    expect(r).toMatchObject({ outcome: "pollError", state: "INSUFFICIENT_DATA" });
    expect(r.message).toMatch(/^alarm-down: Could not connect to alarm-down/);
    const alarm = await backend.caller.alarms.get({ name: "srv-healthy" });
    expect(alarm.consecutiveFailures).toBe(0);
    expect(alarm.stateReason).toMatch(/^Could not evaluate: alarm-down/);

    const mismatch = await evaluate("srv-healthy", IMPOSTOR);
    expect(mismatch).toMatchObject({ outcome: "pollError", state: "INSUFFICIENT_DATA" });
    expect(mismatch.message).toContain("alarm-impostor: The host key of alarm-impostor");
    expect(mismatch.message).toContain("has changed");
  });

  it("watchAlarms calls onAlarm once, records the deployment id, and stops cleanly", async () => {
    web.site.status = 200;
    await backend.caller.alarms.create({ name: "watch-http", type: "http", url: healthUrl(), timeoutSeconds: 2, intervalSeconds: 1, failuresToAlarm: 2 });
    const alarmsSeen: AlarmEvent[] = [];
    const pollFailures: AlarmEvent[] = [];
    const watch = watchAlarms(backend.app.ctx, {
      deploymentId: "d-ALARMTST1",
      config: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: "watch-http" }] },
      hosts: await hostRows(fleet.hosts.map((h) => h.name)),
      onAlarm: (e) => alarmsSeen.push(e),
      onPollFailure: (e) => pollFailures.push(e),
    });
    const results = () => backend.caller.alarms.results({ name: "watch-http", limit: 200 });
    await until("the first evaluation", async () => (await results()).length >= 2);
    expect((await backend.caller.alarms.get({ name: "watch-http" })).state).toBe("OK");
    web.site.status = 503;
    await until("ALARM", () => alarmsSeen.length > 0);
    await new Promise((r) => setTimeout(r, 1200));
    await watch.stop();
    expect(alarmsSeen).toHaveLength(1);
    expect(alarmsSeen[0].alarmName).toBe("watch-http");
    expect(alarmsSeen[0].message).toContain("returned 503, expected 200");
    expect(pollFailures).toEqual([]);
    const recorded = await results();
    expect(recorded.every((r) => r.deploymentId === "d-ALARMTST1")).toBe(true);
    // Nothing is evaluated after stop().
    const hits = web.site.hits;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await results()).length).toBe(recorded.length);
    expect(web.site.hits).toBe(hits);
    web.site.status = 200;
  });

  it("watchAlarms reports a missing alarm and an unreachable host as poll failures, unless told to ignore them", async () => {
    const watchFor = async (config: AlarmConfiguration, hostNames: string[]) => {
      const seen: { alarm: AlarmEvent[]; poll: AlarmEvent[] } = { alarm: [], poll: [] };
      const watch = watchAlarms(backend.app.ctx, {
        deploymentId: "d-ALARMTST2", config, hosts: await hostRows(hostNames),
        onAlarm: (e) => seen.alarm.push(e), onPollFailure: (e) => seen.poll.push(e),
      });
      return { seen, watch };
    };
    const all = [...fleet.hosts.map((h) => h.name), "alarm-down"];

    const missing = await watchFor({ enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: "no-such-alarm" }] }, all);
    await until("a poll failure", () => missing.seen.poll.length > 0);
    await missing.watch.stop();
    expect(missing.seen.poll[0]).toEqual({ alarmName: "no-such-alarm", message: 'Alarm "no-such-alarm" does not exist.' });

    const unreachable = await watchFor({ enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: "srv-healthy" }] }, all);
    await until("a poll failure", () => unreachable.seen.poll.length > 0);
    await unreachable.watch.stop();
    expect(unreachable.seen.poll[0].message).toMatch(/^Alarm "srv-healthy" could not be evaluated: alarm-down: Could not connect/);
    expect(unreachable.seen.alarm).toEqual([]);

    const ignored = await watchFor({ enabled: true, ignorePollAlarmFailure: true, alarms: [{ name: "srv-healthy" }, { name: "no-such-alarm" }] }, all);
    const before = (await backend.caller.alarms.results({ name: "srv-healthy", limit: 200 }))[0].id;
    await until("an ignored poll error recorded", async () =>
      (await backend.caller.alarms.results({ name: "srv-healthy", limit: 5 })).some((r) => r.id > before && r.message.includes("ignored")));
    await ignored.watch.stop();
    expect(ignored.seen).toEqual({ alarm: [], poll: [] });
    expect((await backend.caller.alarms.get({ name: "srv-healthy" })).state).toBe("INSUFFICIENT_DATA");

    const disabled = await watchFor({ enabled: false, ignorePollAlarmFailure: false, alarms: [{ name: "no-such-alarm" }] }, all);
    await new Promise((r) => setTimeout(r, 300));
    await disabled.watch.stop();
    expect(disabled.seen).toEqual({ alarm: [], poll: [] });
  });

  it("a check that outlives its timeout fails, and stop() aborts a check in flight without recording it", async () => {
    let hits = 0;
    const hang = http.createServer(() => { hits++; }); // never answers
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
    const port = (hang.address() as AddressInfo).port;
    try {
      await backend.caller.alarms.create({ name: "slow", type: "http", url: `http://127.0.0.1:${port}/`, timeoutSeconds: 1, intervalSeconds: 1, failuresToAlarm: 3 });
      const r = await evaluate("slow");
      expect(r).toMatchObject({ outcome: "failed", message: `GET http://127.0.0.1:${port}/ failed: timed out after 1 s` });

      await backend.caller.alarms.update({ currentName: "slow", name: "slow", type: "http", url: `http://127.0.0.1:${port}/`, timeoutSeconds: 30, intervalSeconds: 1, failuresToAlarm: 3 });
      const before = hits;
      const watch = watchAlarms(backend.app.ctx, {
        deploymentId: "d-ALARMTST3", config: { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: "slow" }] },
        hosts: [], onAlarm: () => {}, onPollFailure: () => {},
      });
      await until("the check to start", () => hits > before);
      const started = Date.now();
      await watch.stop();
      expect(Date.now() - started).toBeLessThan(2000);
      const results = await backend.caller.alarms.results({ name: "slow", limit: 10 });
      expect(results.some((x) => x.deploymentId === "d-ALARMTST3")).toBe(false);
    } finally {
      hang.closeAllConnections();
      await new Promise((r) => hang.close(r));
    }
  });

  it("keeps only the newest 200 results of an alarm", async () => {
    const [alarm] = await backend.app.ctx.db.select().from(alarms).where(eq(alarms.name, "web-refused"));
    await backend.app.ctx.db.insert(alarmResults).values(Array.from({ length: 250 }, (_, i) => ({ alarmId: alarm.id, ok: true, message: `old ${i}` })));
    await evaluate("web-refused");
    const kept = await backend.app.ctx.db.select().from(alarmResults).where(eq(alarmResults.alarmId, alarm.id));
    expect(kept).toHaveLength(200);
    expect(kept.some((r) => r.message.startsWith("GET"))).toBe(true);
    expect(kept.some((r) => r.message === "old 0")).toBe(false);
  });

  it("validates alarms with a message per field", async () => {
    const fieldErrors = async (input: unknown) => {
      const err = await rejection(backend.caller.alarms.create(input as Parameters<typeof backend.caller.alarms.create>[0]));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.cause).toBeInstanceOf(ZodError);
      return (err.cause as ZodError).flatten().fieldErrors as Record<string, string[] | undefined>;
    };
    const base = { name: "bad", timeoutSeconds: 5, intervalSeconds: 10, failuresToAlarm: 3 };
    expect((await fieldErrors({ ...base, type: "http", url: "ftp://x/{host}" })).url).toEqual(["The URL must start with http:// or https://"]);
    const many = await fieldErrors({ ...base, name: "", type: "http", url: "http://{host}/", expectedStatus: 99, timeoutSeconds: 0, intervalSeconds: 3601, failuresToAlarm: 101 });
    expect(many).toMatchObject({
      name: ["Alarm name is required", expect.any(String)],
      expectedStatus: ["Expected status must be 100-599"],
      timeoutSeconds: ["Timeout must be 1-60"],
      intervalSeconds: ["Interval must be 1-3600"],
      failuresToAlarm: ["Failures to alarm must be 1-100"],
    });
    expect((await fieldErrors({ ...base, type: "command", command: "  " })).command).toEqual(["A command check needs a command"]);
    expect((await fieldErrors({ ...base, type: "command" })).command).toEqual(["A command check needs a command"]);
    expect((await fieldErrors({ ...base, type: "http" })).url).toEqual(["An HTTP check needs a URL"]);

    const dup = await rejection(backend.caller.alarms.create({ ...base, name: "web-health", type: "command", command: "true" }));
    expect(dup.code).toBe("CONFLICT");
    expect(dup.message).toBe('An alarm named "web-health" already exists.');
    expect((await rejection(backend.caller.alarms.get({ name: "nope" }))).code).toBe("NOT_FOUND");
  });

  it("refuses to remove or rename an alarm a deployment group lists", async () => {
    await backend.caller.alarms.create({ name: "listed", type: "command", command: "true", timeoutSeconds: 5, intervalSeconds: 10, failuresToAlarm: 3 });
    await backend.caller.alarms.evaluate({ name: "listed", applicationName: APP, deploymentGroupName: WEB });
    const config = { enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: "listed" }] };
    await backend.app.ctx.db.update(deploymentGroups).set({ alarmConfiguration: config }).where(eq(deploymentGroups.name, WEB));

    const refused = await rejection(backend.caller.alarms.remove({ name: "listed" }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain(`deployment group ${APP}/${WEB}`);
    const rename = await rejection(backend.caller.alarms.update({ currentName: "listed", name: "renamed", type: "command", command: "true", timeoutSeconds: 5, intervalSeconds: 10, failuresToAlarm: 3 }));
    expect(rename.code).toBe("CONFLICT");
    expect((await backend.caller.alarms.get({ name: "listed" })).deploymentGroups).toEqual([`${APP}/${WEB}`]);

    // An edit that keeps the name is fine; a changed check starts over.
    const edited = await backend.caller.alarms.update({ currentName: "listed", name: "listed", type: "http", url: healthUrl(), timeoutSeconds: 3, intervalSeconds: 20, failuresToAlarm: 4 });
    expect(edited).toMatchObject({ type: "http", command: null, url: healthUrl(), intervalSeconds: 20, state: "INSUFFICIENT_DATA" });

    await backend.app.ctx.db.update(deploymentGroups).set({ alarmConfiguration: { ...config, alarms: [] } }).where(eq(deploymentGroups.name, WEB));
    await backend.caller.alarms.remove({ name: "listed" });
    expect((await backend.caller.alarms.list()).map((a) => a.alarmName)).not.toContain("listed");
    // Its results went with it.
    const orphans = await backend.app.ctx.db.select().from(alarmResults).leftJoin(alarms, eq(alarms.id, alarmResults.alarmId));
    expect(orphans.every((r) => r.alarms !== null)).toBe(true);
  });
});
