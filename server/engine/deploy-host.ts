import { eq } from "drizzle-orm";
import { hosts, type deployments } from "../../drizzle/schema";
import type { LifecycleEventName } from "../appspec/types";
import { runHostDeployment, type HostReporter } from "../host/lifecycle";
import { hostAccess } from "../host/connection";
import type { ConnectionPool } from "../host/connection-pool";
import type { PreparedRevision } from "../host/prepared-revision";
import type { SecretBox } from "../lib/secrets";
import type { ProgressWriter } from "./progress-writer";
import type { DeploymentState, TargetRef } from "./state";
import type { HostResult } from "./verdict";

export type FirstFailure = { target: string; event: string; message: string };

export type DeployHostInput = {
  secrets: SecretBox;
  pool: ConnectionPool;
  state: DeploymentState;
  progress: ProgressWriter;
  host: typeof hosts.$inferSelect;
  deployment: typeof deployments.$inferSelect;
  names: { applicationName: string; deploymentGroupName: string };
  revision: () => Promise<PreparedRevision>;
  reusable: () => Promise<string[]>;
  signal: AbortSignal;
  onFailure: (f: FirstFailure) => void;
  /** The host's wrap-up (its scripts.log, old folders pruned) once its outcome is known. */
  onWrapUp: (done: Promise<void>) => void;
};

/** One host of a deployment: its lifecycle over SSH, persisted and published as it goes. */
export async function deployHost(input: DeployHostInput): Promise<HostResult> {
  const { state, progress, host, deployment: d } = input;
  const ref: TargetRef = { hostId: host.id, targetId: host.name };
  progress.change(state.target(ref, "InProgress", `${host.name}: deployment started`, new Date()));
  let current: LifecycleEventName = "ApplicationStop";
  const reporter: HostReporter = {
    eventStarted: (event) => {
      current = event;
      progress.change(state.event(ref, event, "InProgress", undefined, new Date()));
    },
    eventEnded: (event, status, diagnostics) => {
      progress.change(state.event(ref, event, status, diagnostics, new Date()));
      if (status === "Failed") input.onFailure({ target: host.name, event, message: diagnostics?.message ?? "unknown error" });
    },
    line: (event, stream, text) => progress.line({ hostId: host.id, targetId: host.name, event, stream, text }),
    reachability: (r) => {
      const lastStatus = r.ok ? "Online" : r.kind === "HostKeyMismatch" || r.kind === "Untrusted" ? r.kind : "Unreachable";
      progress.change({
        write: async (tx) => {
          await tx
            .update(hosts)
            .set(r.ok ? { lastStatus, lastSeenAt: new Date(), lastError: null } : { lastStatus, lastError: r.message })
            .where(eq(hosts.id, host.id));
        },
        publish: () => {},
      });
    },
  };
  let outcome: HostResult;
  try {
    const run = await runHostDeployment({
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
    outcome = run.outcome;
    input.onWrapUp(run.wrapUp);
  } catch (err) {
    // The lifecycle reports its own failures; this is a bug or a lost database, not the host's fault.
    progress.line({ hostId: host.id, targetId: host.name, event: current, stream: "system", text: (err as Error).message });
    outcome = "Failed";
  }
  progress.change(state.target(ref, outcome === "Succeeded" ? "Succeeded" : "Failed", undefined, new Date()));
  return outcome;
}
