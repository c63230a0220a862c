import { eq } from "drizzle-orm";
import { hosts, type deployments } from "../../drizzle/schema";
import type { LifecycleEventName } from "../appspec/types";
import type { Db } from "../db/client";
import { runHostDeployment, type HostReporter } from "../host/lifecycle";
import { hostAccess } from "../host/connection";
import type { ConnectionPool } from "../host/connection-pool";
import type { PreparedRevision } from "../host/prepared-revision";
import type { SecretBox } from "../lib/secrets";
import type { LogSink } from "./log-sink";
import type { DeploymentState, TargetRef } from "./state";
import type { WriteQueue } from "./write-queue";
import type { HostResult } from "./verdict";

export type FirstFailure = { target: string; event: string; message: string };

export type DeployHostInput = {
  db: Db;
  secrets: SecretBox;
  pool: ConnectionPool;
  state: DeploymentState;
  logs: LogSink;
  host: typeof hosts.$inferSelect;
  deployment: typeof deployments.$inferSelect;
  names: { applicationName: string; deploymentGroupName: string };
  revision: () => Promise<PreparedRevision>;
  reusable: () => Promise<string[]>;
  signal: AbortSignal;
  onFailure: (f: FirstFailure) => void;
  writes: WriteQueue;
};

/** One host of a deployment: its lifecycle over SSH, persisted and published as it goes. */
export async function deployHost(input: DeployHostInput): Promise<HostResult> {
  const { db, state, logs, host, deployment: d, writes } = input;
  const ref: TargetRef = { hostId: host.id, targetId: host.name };
  const started = new Date();
  writes.push(() => state.target(ref, "InProgress", `${host.name}: deployment started`, started));
  let current: LifecycleEventName = "ApplicationStop";
  // Lines logged before an event's status change are flushed first, so a page never shows an
  // event as done without the output that led to it.
  const reporter: HostReporter = {
    eventStarted: async (event) => {
      current = event;
      const at = new Date();
      writes.push(() => logs.flush().then(() => state.event(ref, event, "InProgress", undefined, at)));
    },
    eventEnded: async (event, status, diagnostics) => {
      const at = new Date();
      writes.push(() => logs.flush().then(() => state.event(ref, event, status, diagnostics, at)));
      if (status === "Failed") input.onFailure({ target: host.name, event, message: diagnostics?.message ?? "unknown error" });
    },
    line: (event, stream, text) => logs.append({ hostId: host.id, targetId: host.name, event, stream, text }),
    reachability: async (r) => {
      const lastStatus = r.ok ? "Online" : r.kind === "HostKeyMismatch" || r.kind === "Untrusted" ? r.kind : "Unreachable";
      writes.push(() =>
        db
          .update(hosts)
          .set(r.ok ? { lastStatus, lastSeenAt: new Date(), lastError: null } : { lastStatus, lastError: r.message })
          .where(eq(hosts.id, host.id)),
      );
    },
  };
  let outcome: HostResult;
  try {
    outcome = await runHostDeployment({
      access: hostAccess(host, input.secrets),
      agentRoot: host.agentRoot,
      deployment: {
        id: d.id,
        ...input.names,
        deploymentGroupId: d.deploymentGroupId,
        revision: d.revision,
        fileExistsBehavior: d.fileExistsBehavior,
        ignoreApplicationStopFailures: d.ignoreApplicationStopFailures,
      },
      revision: input.revision,
      reusable: input.reusable,
      reporter,
      signal: input.signal,
      pool: input.pool,
    });
  } catch (err) {
    // The lifecycle reports its own failures; this is a bug or a lost database, not the host's fault.
    logs.append({ hostId: host.id, targetId: host.name, event: current, stream: "system", text: (err as Error).message });
    outcome = "Failed";
  }
  const ended = new Date();
  writes.push(() => logs.flush().then(() => state.target(ref, outcome === "Succeeded" ? "Succeeded" : "Failed", undefined, ended)));
  return outcome;
}
