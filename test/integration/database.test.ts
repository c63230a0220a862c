import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { applications, deploymentGroups, deployments, deploymentTargets, hosts, lifecycleEvents } from "../../drizzle/schema";
import { createApp } from "../../server/app";
import { openDatabase } from "../../server/db/client";
import { collectingPublisher } from "../../server/realtime/publisher";
import { startBackend } from "../support/backend";

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-db-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("embedded database", () => {
  it("refuses a second process with a message naming the owner", async () => {
    const dataDir = tempDir();
    const db = await openDatabase({ dataDir });
    try {
      const child = spawnSync(
        process.execPath,
        ["--import", "tsx", "-e", `import("./server/db/client.ts").then(m => m.openDatabase({ dataDir: ${JSON.stringify(dataDir)} })).then(() => console.log("opened"), e => { console.error(e.message); process.exit(3); })`],
        { encoding: "utf8" },
      );
      expect(child.status).toBe(3);
      expect(child.stderr).toContain(`in use by another Slipway process (pid ${process.pid})`);
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by another Slipway process/);
    } finally {
      await db.close();
    }
    const again = await openDatabase({ dataDir }); // released on close
    await again.close();
  });
});

describe.each(["pglite", "postgres"] as const)("start-up after a crash (%s)", (kind) => {
  it("fails a deployment a previous process left InProgress, with its hosts and events", async () => {
    const b = await startBackend(kind);
    const { db } = b.app.ctx;
    const [app] = await db.insert(applications).values({ name: "A" }).returning();
    const [g] = await db.insert(deploymentGroups).values({ applicationId: app.id, name: "G" }).returning();
    const [h] = await db.insert(hosts).values({ name: "h1", address: "127.0.0.1", privateKeyEnc: "x" }).returning();
    await db.insert(deployments).values({
      id: "d-CRASHED01",
      applicationId: app.id,
      deploymentGroupId: g.id,
      deploymentConfigName: "CodeDeployDefault.OneAtATime",
      revision: { bucket: "b", key: "k", bundleType: "zip" },
      status: "InProgress",
    });
    await db.insert(deploymentTargets).values({ deploymentId: "d-CRASHED01", hostId: h.id, targetId: "h1", ordinal: 0, status: "InProgress" });
    await db.insert(lifecycleEvents).values([
      { deploymentId: "d-CRASHED01", hostId: h.id, name: "BeforeInstall", ordinal: 2, status: "InProgress" },
      { deploymentId: "d-CRASHED01", hostId: h.id, name: "Install", ordinal: 3, status: "Pending" },
    ]);
    await b.app.ctx.engine.start(); // what the next process does first
    const { deploymentInfo } = await b.caller.deployments.get({ deploymentId: "d-CRASHED01" });
    expect(deploymentInfo.status).toBe("Failed");
    expect(deploymentInfo.errorInformation?.message).toMatch(/Slipway stopped while this deployment was in progress/);
    const [t] = await b.caller.deployments.targets({ deploymentId: "d-CRASHED01" });
    expect(t.status).toBe("Failed");
    expect(t.lifecycleEvents.map((e) => e.status)).toEqual(["Failed", "Skipped"]);
    const still = await db.select().from(deployments).where(eq(deployments.status, "InProgress"));
    expect(still).toHaveLength(0);
    await b.close();
  });
});

describe("admin account", () => {
  it("is created once, with a generated password printed when none is set", async () => {
    const dataDir = tempDir();
    const { publisher } = collectingPublisher();
    const first = await createApp({ dataDir, databaseUrl: undefined, adminPassword: undefined, secretKey: undefined }, publisher);
    expect(first.generatedAdminPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await first.close();
    const second = await createApp({ dataDir, databaseUrl: undefined, adminPassword: undefined, secretKey: undefined }, publisher);
    expect(second.generatedAdminPassword).toBeUndefined();
    await second.close();
    expect(fs.statSync(path.join(dataDir, "secret.key")).mode & 0o777).toBe(0o600);
  });
});
