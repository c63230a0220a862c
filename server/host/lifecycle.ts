import type { Diagnostics, S3Location } from "../../drizzle/schema";
import { parseAppSpec } from "../appspec/parse";
import { LIFECYCLE_EVENTS, type AppSpec, type FileExistsBehavior, type LifecycleEventName } from "../appspec/types";
import { HostConnectError, type HostAccess, type HostConnection } from "./connection";
import type { ConnectionPool } from "./connection-pool";
import { runHook, type HookOutput } from "./hook-runner";
import { finishHost, installRevision, prepareHost, reuseBundle, transferBundle, type PreviousInstall } from "./host-steps";
import { hostLayout } from "./layout";
import type { PreparedRevision } from "./prepared-revision";
import { keepRunner, runnerFor, type HostRunner } from "./runner";

export type EventStatus = "Succeeded" | "Failed" | "Skipped";

/** How the engine hears about one host's progress; it persists and publishes each call. */
export type HostReporter = {
  eventStarted(event: LifecycleEventName): void;
  eventEnded(event: LifecycleEventName, status: EventStatus, diagnostics?: Diagnostics): void;
  line(event: LifecycleEventName, stream: "stdout" | "stderr" | "system", text: string): void;
  /** The host answered (or not): feeds the hosts list's last-seen state. */
  reachability(result: { ok: true } | { ok: false; kind: string; message: string }): void;
};

export type HostDeploymentInput = {
  access: HostAccess;
  agentRoot: string;
  deployment: {
    id: string;
    applicationName: string;
    deploymentGroupName: string;
    deploymentGroupId: string;
    revision: S3Location;
    fileExistsBehavior: FileExistsBehavior;
    ignoreApplicationStopFailures: boolean;
  };
  /** Resolves the revision once per deployment; a rejection fails DownloadBundle with its message. */
  revision: () => Promise<PreparedRevision>;
  /** Earlier deployments of the group with the same bundle, newest first: the host may still hold one. */
  reusable: () => Promise<string[]>;
  reporter: HostReporter;
  signal: AbortSignal;
  pool: ConnectionPool;
};

export type HostOutcome = "Succeeded" | "Failed" | "Stopped";

/**
 * The host's outcome as soon as its last event ended, and its wrap-up (scripts.log written, old
 * deployment folders pruned, the connection back to the pool), which the deployment awaits before
 * it completes but which does not hold up the next host or the database writes.
 */
export type HostRun = { outcome: HostOutcome; wrapUp: Promise<void> };

class EventFailure extends Error {
  constructor(readonly diagnostics: Diagnostics) {
    super(diagnostics.message);
  }
}

const unknownError = (message: string, logTail = ""): Diagnostics => ({
  errorCode: "UnknownError",
  scriptName: "",
  message,
  logTail,
});

/**
 * One host's in-place deployment, event by event, over one SSH connection. After a failed event
 * the remaining events are Skipped and the host is Failed, as with the CodeDeploy agent.
 */
export async function runHostDeployment(input: HostDeploymentInput): Promise<HostRun> {
  const { reporter, deployment, signal } = input;
  const layout = hostLayout(input.agentRoot, deployment.deploymentGroupId, deployment.id);
  const scriptsLog: string[] = [];
  let conn: HostConnection | null = null;
  let runner: HostRunner | null = null;
  let previous: PreviousInstall = null;
  let revision: PreparedRevision | null = null;
  let spec: AppSpec | null = null;
  let failedAt = -1;
  let stopped = false;

  // The revision (prepared once per deployment on the server) and the earlier deployments whose
  // bundle the host may hold are looked up while ApplicationStop runs; DownloadBundle awaits them.
  const preparing = input.revision();
  const reusable = preparing.then(() => input.reusable());
  reusable.catch(() => {}); // a failed preparation is DownloadBundle's failure, reported there

  const say = (event: LifecycleEventName, text: string) => {
    scriptsLog.push(`[${new Date().toISOString()}] ${event} system: ${text}`);
    reporter.line(event, "system", text);
  };
  const output = (event: LifecycleEventName): HookOutput => (stream, text) => {
    scriptsLog.push(`[${new Date().toISOString()}] ${event} ${stream}: ${text}`);
    reporter.line(event, stream, text);
  };
  const env = (event: LifecycleEventName): Record<string, string> => {
    const r = deployment.revision;
    return {
      LIFECYCLE_EVENT: event,
      DEPLOYMENT_ID: deployment.id,
      APPLICATION_NAME: deployment.applicationName,
      DEPLOYMENT_GROUP_NAME: deployment.deploymentGroupName,
      DEPLOYMENT_GROUP_ID: deployment.deploymentGroupId,
      BUNDLE_BUCKET: r.bucket,
      BUNDLE_KEY: r.key,
      ...(r.version ? { BUNDLE_VERSION: r.version } : {}),
      ...(r.eTag ? { BUNDLE_ETAG: r.eTag } : {}),
    };
  };
  const runHooks = async (event: LifecycleEventName, appspec: AppSpec | null, archiveDir: string) => {
    const scripts = appspec?.hooks[event] ?? [];
    for (const script of scripts) {
      if (signal.aborted) throw new EventFailure(unknownError("The deployment was stopped."));
      say(event, `Running ${script.location}${script.runas ? ` as ${script.runas}` : ""} (timeout ${script.timeout}s)`);
      const result = await runHook({
        conn: conn!,
        runner: runner!,
        archiveDir,
        script,
        env: env(event),
        asRoot: input.access.username === "root",
        onLine: output(event),
        signal,
      });
      if (!result.ok) throw new EventFailure(result.diagnostics);
    }
  };

  const steps: Record<LifecycleEventName, () => Promise<void>> = {
    ApplicationStop: async () => {
      try {
        conn = await input.pool.acquire(input.access);
      } catch (err) {
        const kind = err instanceof HostConnectError ? err.kind : "Unreachable";
        reporter.reachability({ ok: false, kind, message: (err as Error).message });
        throw err;
      }
      reporter.reachability({ ok: true });
      say("ApplicationStop", `Connected to ${input.access.address}:${input.access.port} as ${input.access.username}`);
      runner = await runnerFor(conn);
      previous = await prepareHost(runner, layout);
      if (!previous) return say("ApplicationStop", "No previous successful install on this host: nothing to stop.");
      if (previous.appspecText === null)
        return say("ApplicationStop", `The last successful install (${previous.deploymentDir}) has no AppSpec file: nothing to stop.`);
      say("ApplicationStop", `Running the ApplicationStop scripts of the last successful install, ${previous.deploymentDir}`);
      const previousSpec = parseAppSpec(previous.appspecText);
      try {
        await runHooks("ApplicationStop", previousSpec, `${previous.deploymentDir}/deployment-archive`);
      } catch (err) {
        if (!(err instanceof EventFailure) || !deployment.ignoreApplicationStopFailures || signal.aborted) throw err;
        say("ApplicationStop", `${err.message}: ignored, as the deployment asks (ignoreApplicationStopFailures).`);
      }
    },
    DownloadBundle: async () => {
      revision = await preparing;
      // The installed deployment's folder (ApplicationStop's scripts come from it) is never a
      // source of hard links.
      const installed = previous?.deploymentDir.split("/").pop() ?? null;
      const reuse = await reuseBundle(runner!, layout, revision, await reusable, installed);
      for (const m of reuse.mismatches)
        say("DownloadBundle", `The bundle kept from ${m.deploymentId} has ${m.tool} ${m.checksum}, not ${m.expected}: not reused.`);
      if (reuse.reused) {
        say(
          "DownloadBundle",
          `Reused the bundle kept on this host from ${reuse.reused.deploymentId} (${reuse.reused.tool} ${reuse.reused.expected} verified; ` +
            `bundle sha256 ${revision.sha256}); nothing transferred. ` +
            (reuse.reused.how === "linked"
              ? `Its unpacked copy there still matched the bundle file for file and was hard-linked to ${layout.archiveDir}.`
              : `Unpacked to ${layout.archiveDir}.`),
        );
      } else {
        await transferBundle(conn!, layout, revision);
        say("DownloadBundle", `Downloaded s3://${deployment.revision.bucket}/${deployment.revision.key} (${revision.entries.length} entries) to ${layout.archiveDir}`);
      }
    },
    BeforeInstall: async () => {
      if (revision!.appspecText === null)
        throw new EventFailure(
          unknownError(
            `The CodeDeploy agent did not find an AppSpec file within the unpacked revision directory at revision-relative path "appspec.yml". ` +
              `The revision was unpacked to directory "${layout.archiveDir}", and the AppSpec file was expected but not found at path "${layout.archiveDir}/appspec.yml".`,
          ),
        );
      spec = parseAppSpec(revision!.appspecText);
      await runHooks("BeforeInstall", spec, layout.archiveDir);
    },
    Install: async () => {
      const behavior = spec!.fileExistsBehavior ?? deployment.fileExistsBehavior;
      await installRevision(runner!, layout, spec!, revision!, behavior, (t) => say("Install", t));
    },
    AfterInstall: () => runHooks("AfterInstall", spec, layout.archiveDir),
    ApplicationStart: () => runHooks("ApplicationStart", spec, layout.archiveDir),
    ValidateService: () => runHooks("ValidateService", spec, layout.archiveDir),
  };

  const wrapUp = async () => {
    if (!conn) return;
    const c: HostConnection = conn;
    const r = runner as HostRunner | null;
    const finished = r?.alive()
      ? await finishHost(r, layout, scriptsLog.join("\n") + "\n").then(
          () => true,
          () => false,
        )
      : false;
    // A stop may have killed things mid-way; only a connection (and runner) that just worked is kept.
    const healthy = finished && !signal.aborted;
    if (r && healthy) keepRunner(c, r);
    else r?.close();
    input.pool.release(c, healthy);
  };

  try {
    for (const [i, event] of LIFECYCLE_EVENTS.entries()) {
      if (failedAt >= 0) {
        reporter.eventEnded(event, "Skipped");
        continue;
      }
      if (signal.aborted) {
        stopped = true;
        failedAt = i;
        reporter.eventEnded(event, "Skipped");
        continue;
      }
      reporter.eventStarted(event);
      try {
        await steps[event]();
        reporter.eventEnded(event, "Succeeded");
      } catch (err) {
        failedAt = i;
        if (signal.aborted) stopped = true;
        const diagnostics = err instanceof EventFailure ? err.diagnostics : unknownError((err as Error).message);
        if (!(err instanceof EventFailure)) say(event, diagnostics.message);
        reporter.eventEnded(event, "Failed", diagnostics);
      }
    }
  } catch (err) {
    await wrapUp();
    throw err;
  }
  const outcome: HostOutcome = stopped ? "Stopped" : failedAt >= 0 ? "Failed" : "Succeeded";
  return { outcome, wrapUp: wrapUp() };
}
