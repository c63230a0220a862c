import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root";
import { startApiServer, type ApiServer } from "../support/api-server";
import { makeBundle } from "../support/backend";
import { startTestHosts, type TestHosts } from "../support/test-hosts";

let api: ApiServer;
let fleet: TestHosts;
beforeAll(async () => {
  [api, fleet] = await Promise.all([startApiServer(), startTestHosts(1, { prefix: "auth" })]);
});
afterAll(async () => {
  await api?.stop();
  await fleet?.stop();
});

const trpcUrl = (path: string, input: unknown, method: "query" | "mutation") =>
  method === "query" ? `${api.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}` : `${api.url}/api/trpc/${path}`;

async function call(path: string, input: unknown, method: "query" | "mutation", headers: Record<string, string> = {}) {
  const res = await fetch(trpcUrl(path, input, method), {
    method: method === "query" ? "GET" : "POST",
    headers: { "content-type": "application/json", ...headers },
    body: method === "mutation" ? JSON.stringify({ json: input }) : undefined,
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function login() {
  const r = await call("auth.login", { username: "admin", password: api.adminPassword }, "mutation");
  const cookie = r.headers.get("set-cookie") ?? "";
  return { r, cookie: cookie.split(";")[0] };
}

describe("authentication", () => {
  it("refuses every procedure but sign-in without a session", async () => {
    const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>);
    expect(procedures.length).toBeGreaterThan(20);
    for (const [path, proc] of procedures) {
      if (path === "auth.login") continue;
      const r = await call(path, {}, proc._def.type === "query" ? "query" : "mutation");
      expect([path, r.status]).toEqual([path, 401]);
      expect(r.body.error.json.message).toContain("Sign in first");
    }
  });

  it("signs in with an httpOnly cookie that then grants access; a wrong password is refused", async () => {
    const bad = await call("auth.login", { username: "admin", password: "nope" }, "mutation");
    expect(bad.status).toBe(401);
    expect(bad.body.error.json.message).toBe("Wrong username or password.");
    expect(bad.body.error.json.data.stack).toBeUndefined();
    const { r, cookie } = await login();
    expect(r.status).toBe(200);
    expect(r.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Lax/);
    const me = await call("auth.me", {}, "query", { cookie });
    expect(me.body.result.data.json).toEqual({ username: "admin" });
  });

  it("gives the CLI a bearer token instead of a cookie", async () => {
    const r = await call("auth.login", { username: "admin", password: api.adminPassword, client: "cli" }, "mutation");
    expect(r.headers.get("set-cookie")).toBeNull();
    const token = r.body.result.data.json.token as string;
    const me = await call("auth.me", {}, "query", { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    const bogus = await call("auth.me", {}, "query", { authorization: "Bearer not-a-token" });
    expect(bogus.status).toBe(401);
  });

  it("refuses uploads without a session", async () => {
    const res = await fetch(`${api.url}/api/s3/bucket/key.zip`, { method: "PUT", body: "x" });
    expect(res.status).toBe(401);
    const { cookie } = await login();
    const ok = await fetch(`${api.url}/api/s3/bucket/key.zip`, { method: "PUT", body: "x", headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ bucket: "bucket", key: "key.zip", size: 1 });
  });

  it("refuses the socket.io handshake without a session and accepts it with one", async () => {
    const refused = io(api.url, { transports: ["websocket"], reconnection: false });
    const err = await new Promise<Error>((resolve) => refused.on("connect_error", resolve));
    expect(err).toBeInstanceOf(Error);
    refused.close();
    const poll = await fetch(`${api.url}/socket.io/?EIO=4&transport=polling`);
    expect(poll.status).toBe(403);
    const { cookie } = await login();
    const ok = io(api.url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie } });
    await new Promise<void>((resolve, reject) => {
      ok.on("connect", resolve);
      ok.on("connect_error", reject);
    });
    ok.close();
  });
});

describe("secrets", () => {
  it("never returns a host's private key, and names a changed host key with both fingerprints", async () => {
    const { cookie } = await login();
    const h = fleet.hosts[0];
    const keyLine = fleet.privateKey.split("\n")[1];
    const wrong = "SHA256:" + "A".repeat(43);
    const reg = await call("hosts.register", { name: "auth-1", address: h.address, port: h.port, username: "root", privateKey: fleet.privateKey, fingerprint: wrong }, "mutation", { cookie });
    expect(reg.status).toBe(200);
    const list = await fetch(trpcUrl("hosts.list", {}, "query"), { headers: { cookie } });
    const text = await list.text();
    expect(text).toContain("auth-1");
    expect(text).not.toContain(keyLine);
    expect(text).not.toContain("PRIVATE KEY");
    const test = await call("hosts.testConnection", { name: "auth-1" }, "mutation", { cookie });
    const result = test.body.result.data.json;
    expect(result).toMatchObject({ matches: false, pinned: wrong, fingerprint: h.hostKeyFingerprint });
    expect(result.message).toContain(wrong);
    expect(result.message).toContain(h.hostKeyFingerprint);
    const bad = await call("hosts.register", { name: "auth-2", address: h.address, port: h.port, privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nnot really\n-----END OPENSSH PRIVATE KEY-----\n" }, "mutation", { cookie });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toContain("not really");
  });
});

describe("host key pinning", () => {
  it("refuses to deploy to a host whose key is not the pinned one, naming both fingerprints", async () => {
    const { cookie } = await login();
    const h = fleet.hosts[0];
    const pinned = "SHA256:" + "B".repeat(43);
    await call("hosts.register", { name: "pinned-1", address: h.address, port: h.port, privateKey: fleet.privateKey, fingerprint: pinned, tags: [{ Key: "role", Value: "pinned" }] }, "mutation", { cookie });
    await call("applications.create", { applicationName: "PinApp" }, "mutation", { cookie });
    await call("deploymentGroups.create", { applicationName: "PinApp", deploymentGroupName: "PinDG", onPremisesTagFilters: [{ Key: "role", Type: "KEY_ONLY" }] }, "mutation", { cookie });
    await api.app.ctx.store.put("pins", "site.zip", makeBundle({ "appspec.yml": "version: 0.0\nos: linux\n" }));
    const created = await call("deployments.create", { applicationName: "PinApp", deploymentGroupName: "PinDG", revision: { bucket: "pins", key: "site.zip", bundleType: "zip" } }, "mutation", { cookie });
    const deploymentId = created.body.result.data.json.deploymentId as string;
    await api.app.ctx.engine.settled(deploymentId);
    const targets = await call("deployments.targets", { deploymentId }, "query", { cookie });
    const [t] = targets.body.result.data.json;
    const stop = t.lifecycleEvents.find((e: { lifecycleEventName: string }) => e.lifecycleEventName === "ApplicationStop");
    expect(stop.status).toBe("Failed");
    expect(stop.diagnostics.message).toContain(`Slipway trusts ${pinned} but the host presented ${h.hostKeyFingerprint}`);
    const hosts = await call("hosts.list", {}, "query", { cookie });
    expect(hosts.body.result.data.json.find((x: { name: string }) => x.name === "pinned-1").lastStatus).toBe("HostKeyMismatch");
  });
});
