import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { applications, deploymentGroups, deployments, hosts } from "../../drizzle/schema";
import type { LifecycleEventName } from "../appspec/types";
import type { Db } from "../db/client";
import { runHostDeployment, type HostReporter } from "../host/lifecycle";
import type { PreparedRevision } from "../host/prepared-revision";
import type { SecretBox } from "../lib/secrets";
import type { Publisher } from "../realtime/publisher";
import type { BucketStore } from "../revisions/bucket-store";
import { createLogSink } from "./log-sink";
import { prepareRevision } from "./prepare-revision";
import { deploymentState, type TargetRef } from "./state";
import { matchesFilters } from "./tag-filters";
import { finalVerdict, shouldContinue, type HostResult } from "./verdict";

export type RunDeps = { db: Db; secrets: SecretBox; store: BucketStore; publisher: Publisher; dataDir: string };

const HEALTH_CONSTRAINTS_MESSAGE =
  "The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.";

/**
 * Runs one deployment from Created to its end: resolves the group's hosts from its tag
 * filters, then deploys host by host (CodeDeployDefault.OneAtATime) and decides the verdict.
 */
export async function runDeployment(deps: RunDeps, deploymentId: string, signal: AbortSignal): Promise<void> {
  const { db, publisher } = deps;
  const [row] = await db
    .select({ d: deployments, g: deploymentGroups, a: applications })
    .from(deployments)
    .innerJoin(deploymentGroups, eq(deploymentGroups.id, deployments.deploymentGroupId))
    .innerJoin(applications, eq(applications.id, deployments.applicationId))
    .where(eq(deployments.id, deploymentId));
  if (!row) return;
  const { d, g, a } = row;
  const state = deploymentState(db, publisher, deploymentId);

  const allHosts = await db.select().from(hosts).orderBy(hosts.name);
  const targets = allHosts.filter((h) => matchesFilters(h.tags, g.onPremisesTagFilters));
  await state.start(targets.map((h) => ({ hostId: h.id, targetId: h.name })));
  if (!targets.length) {
    await state.complete("Failed", {
      code: "NO_INSTANCES",
      message: `The deployment failed because no instances were found for your deployment group "${g.name}": no registered host matches its tag filters.`,
    });
    return;
  }

  const logs = createLogSink(db, publisher, deploymentId);
  const cacheDir = path.join(deps.dataDir, "cache");
  let prepared: Promise<PreparedRevision> | null = null;
  const revision = () => (prepared ??= prepareRevision(deps.store, d.revision, cacheDir, deploymentId));

  const results: HostResult[] = [];
  let firstFailure: { target: string; event: string; message: string } | null = null;
  try {
    for (const host of targets) {
      const ref: TargetRef = { hostId: host.id, targetId: host.name };
      await state.target(ref, "InProgress", `${host.name}: deployment started`);
      let current: LifecycleEventName = "ApplicationStop";
      const reporter: HostReporter = {
        eventStarted: async (event) => {
          current = event;
          await logs.flush();
          await state.event(ref, event, "InProgress");
        },
        eventEnded: async (event, status, diagnostics) => {
          await logs.flush();
          await state.event(ref, event, status, diagnostics);
          if (status === "Failed" && !firstFailure)
            firstFailure = { target: host.name, event, message: diagnostics?.message ?? "unknown error" };
        },
        line: (event, stream, text) => logs.append({ hostId: host.id, targetId: host.name, event, stream, text }),
        reachability: async (r) => {
          const lastStatus = r.ok ? "Online" : r.kind === "HostKeyMismatch" || r.kind === "Untrusted" ? r.kind : "Unreachable";
          await db
            .update(hosts)
            .set(r.ok ? { lastStatus, lastSeenAt: new Date(), lastError: null } : { lastStatus, lastError: r.message })
            .where(eq(hosts.id, host.id));
        },
      };
      let outcome: HostResult;
      try {
        outcome = await runHostDeployment({
          access: {
            name: host.name,
            address: host.address,
            port: host.port,
            username: host.username,
            privateKey: deps.secrets.open(host.privateKeyEnc),
            fingerprint: host.hostKeyFingerprint,
          },
          agentRoot: host.agentRoot,
          deployment: {
            id: d.id,
            applicationName: a.name,
            deploymentGroupName: g.name,
            deploymentGroupId: g.id,
            revision: d.revision,
            fileExistsBehavior: d.fileExistsBehavior,
            ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
          },
          revision,
          reporter,
          signal,
        });
      } catch (err) {
        // The lifecycle reports its own failures; this is a bug or a lost database, not a host's fault.
        logs.append({ hostId: host.id, targetId: host.name, event: current, stream: "system", text: (err as Error).message });
        outcome = "Failed";
      }
      await logs.flush();
      results.push(outcome);
      await state.target(ref, outcome === "Stopped" ? "Failed" : outcome);
      if (!shouldContinue(results, targets.length)) break;
    }
  } finally {
    await logs.flush();
    const done = prepared as Promise<PreparedRevision> | null;
    await done?.then((r) => fs.promises.rm(r.tarFile, { force: true })).catch(() => {});
  }

  await state.skipRemaining(targets.slice(results.length).map((h) => h.id));
  const verdict = finalVerdict(results, targets.length);
  if (verdict === "Succeeded") return state.complete("Succeeded");
  if (verdict === "Stopped")
    return state.complete("Stopped", { code: "MANUAL_STOP", message: "The deployment was stopped by a user request." });
  const f = firstFailure as { target: string; event: string; message: string } | null;
  await state.complete("Failed", {
    code: "HEALTH_CONSTRAINTS",
    message: f ? `${HEALTH_CONSTRAINTS_MESSAGE} ${f.target} failed at ${f.event}: ${f.message}` : HEALTH_CONSTRAINTS_MESSAGE,
  });
}
