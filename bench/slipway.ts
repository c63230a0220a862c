// Slipway's side of the comparison: one deployment through the real API and engine, timed from
// creation to completion, and the engine's pooled SSH connections the bench closes between runs.
import { performance } from "node:perf_hooks";
import type { Backend } from "../test/support/backend";
import { APP, BUCKET, EVENTS } from "./config";
import type { Rev } from "./revision";
import { median, round } from "./stats";

export type EventTimes = Record<string, number>; // lifecycle event -> ms
export type SlipwayRun = {
  /** Wall time in this process: deployments.create called -> engine.settled resolved. */
  ms: number;
  /** The stored times: deploymentInfo.completeTime - createTime. */
  storedMs: number;
  /** Hosts of the group the engine still held an idle SSH connection to when the deployment was created. */
  warmHosts: number;
  deploymentId: string;
  /** Per host: lifecycle event durations, and the gap before its first event. */
  targets: { targetId: string; events: EventTimes; startMs: number; endMs: number }[];
  /** createTime -> first event start, last event end -> completeTime (ms, from the stored times). */
  pickupMs: number;
  wrapUpMs: number;
};

/**
 * The engine keeps a host's SSH connection open for 30 s after a deployment (connection-pool.ts),
 * so back-to-back runs would skip the handshake: the idle connections to these hosts' ports.
 */
function pooledHosts(backend: Backend, ports: readonly number[]): number[] {
  return backend.app.ctx.engine
    .idleConnections()
    .filter((c) => c.address === "127.0.0.1" && ports.includes(c.port))
    .map((c) => c.port);
}

/**
 * Closes the engine's idle SSH connections, so the next deployment opens new ones, as a
 * deployment more than 30 s after the last one does (and as the OpenSSH baseline does).
 */
export async function dropPooledConnections(backend: Backend, ports: readonly number[]): Promise<number> {
  const open = pooledHosts(backend, ports).length;
  backend.app.ctx.engine.closeIdleConnections();
  if (pooledHosts(backend, ports).length) throw new Error("pooled SSH connections are still open after closing them");
  return open;
}

type Targets = Awaited<ReturnType<Backend["caller"]["deployments"]["targets"]>>;

/** Per host: each lifecycle event's duration as stored, and the host's first start and last end (ms). */
export function targetTimes(targets: Targets) {
  return targets.map((t) => {
    const events: EventTimes = {};
    let startMs = Infinity;
    let endMs = -Infinity;
    for (const e of t.lifecycleEvents) {
      if (e.startTime === undefined || e.endTime === undefined) continue;
      events[e.lifecycleEventName] = (e.endTime - e.startTime) * 1000;
      startMs = Math.min(startMs, e.startTime * 1000);
      endMs = Math.max(endMs, e.endTime * 1000);
    }
    return { targetId: t.targetId, events, startMs, endMs };
  });
}

export async function slipwayDeploy(backend: Backend, group: string, expectHosts: number, rev: Rev, ports: readonly number[]): Promise<SlipwayRun> {
  await backend.app.ctx.store.put(BUCKET, rev.key, rev.zip);
  const warmHosts = new Set(pooledHosts(backend, ports)).size;
  const t0 = performance.now();
  const { deploymentId } = await backend.caller.deployments.create({
    applicationName: APP,
    deploymentGroupName: group,
    revision: { bucket: BUCKET, key: rev.key, bundleType: "zip" },
    // Both groups (and the baseline's cp -R) write the same files into /var/www/html on host 1;
    // with the default DISALLOW the second group would refuse files the first one installed.
    fileExistsBehavior: "OVERWRITE",
  });
  await backend.app.ctx.engine.settled(deploymentId);
  const ms = performance.now() - t0;
  const { deploymentInfo: info } = await backend.caller.deployments.get({ deploymentId });
  const targets = await backend.caller.deployments.targets({ deploymentId });
  if (info.status !== "Succeeded" || targets.length !== expectHosts) {
    const failed = targets.flatMap((t) => t.lifecycleEvents.filter((e) => e.status === "Failed").map((e) => `${t.targetId} ${e.lifecycleEventName}: ${e.diagnostics?.message}`));
    throw new Error(
      `Slipway deployment ${deploymentId} to ${group} ended ${info.status} on ${targets.length} host(s) ` +
        `(expected Succeeded on ${expectHosts}): ${info.errorInformation?.message ?? ""} ${failed.join("; ")}`,
    );
  }
  const logs = await backend.caller.deployments.logs({ deploymentId });
  if (logs.some((l) => l.event === "DownloadBundle" && /^Reused /.test(l.text)))
    throw new Error(`Slipway deployment ${deploymentId} reused a bundle instead of uploading it: the runs would not do the same work`);
  const perTarget = targetTimes(targets);
  const first = Math.min(...perTarget.map((t) => t.startMs));
  const last = Math.max(...perTarget.map((t) => t.endMs));
  return {
    ms,
    storedMs: ((info.completeTime ?? NaN) - info.createTime) * 1000,
    warmHosts,
    deploymentId,
    targets: perTarget,
    pickupMs: first - info.createTime * 1000,
    wrapUpMs: (info.completeTime ?? info.createTime) * 1000 - last,
  };
}

/** Per lifecycle event, the median of its durations over these hosts (0 where a host skipped it). */
export const eventMedians = (hosts: { events: EventTimes }[]) => Object.fromEntries(EVENTS.map((e) => [e, round(median(hosts.map((h) => h.events[e] ?? 0)))]));
