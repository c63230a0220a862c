import type { Diagnostics, S3Location } from "../../drizzle/schema";
import { parseAppSpec } from "../appspec/parse";
import { LIFECYCLE_EVENTS, type AppSpec, type FileExistsBehavior, type LifecycleEventName } from "../appspec/types";
import { HostConnectError, type HostAccess, type HostConnection } from "./connection";
import type { ConnectionPool } from "./connection-pool";
import { runHook, type HookOutput } from "./hook-runner";
import { finishHost, installRevision, prepareHost, reuseBundle, transferBundle, type PreviousInstall } from "./host-steps";
import { hostLayout } from "./layout";
import type { PreparedRevision } from "./prepared-revision";

export type EventStatus = "Succeeded" | "Failed" | "Skipped";

/** How the engine hears about one host's progress; it persists and publishes each call. */
export type HostReporter = {
  eventStarted(event: LifecycleEventName): Promise<void>;
  eventEnded(event: LifecycleEventName, status: EventStatus, diagnostics?: Diagnostics): Promise<void>;
  line(event: LifecycleEventName, stream: "stdout" | "stderr" | "system", text: string): void;
  /** The host answered (or not): feeds the hosts list's last-seen state. */
  reachability(result: { ok: true } | { ok: false; kind: string; message: string }): Promise<void>;
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
export async function runHostDeployment(input: HostDeploymentInput): Promise<HostOutcome> {
  const { reporter, deployment, signal } = input;
  const layout = hostLayout(input.agentRoot, deployment.deploymentGroupId, deployment.id);
  const scriptsLog: string[] = [];
  let conn: HostConnection | null = null;
  let previous: PreviousInstall = null;
  let revision: PreparedRevision | null = null;
  let spec: AppSpec | null = null;
  let failedAt = -1;
  let stopped = false;

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
        await reporter.reachability({ ok: false, kind, message: (err as Error).message });
        throw err;
      }
      await reporter.reachability({ ok: true });
      say("ApplicationStop", `Connected to ${input.access.address}:${input.access.port} as ${input.access.username}`);
      previous = await prepareHost(conn, layout);
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
      revision = await input.revision();
      const reuse = await reuseBundle(conn!, layout, revision.sha256, await input.reusable());
      for (const m of reuse.mismatches)
        say("DownloadBundle", `The bundle kept from ${m.deploymentId} has checksum ${m.sha256}, not ${revision.sha256}: not reused.`);
      if (reuse.reused) {
        say("DownloadBundle", `Reused the bundle kept on this host from ${reuse.reused} (sha256 ${revision.sha256} verified); nothing transferred.`);
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
      await installRevision(conn!, layout, spec!, revision!, behavior, (t) => say("Install", t));
    },
    AfterInstall: () => runHooks("AfterInstall", spec, layout.archiveDir),
    ApplicationStart: () => runHooks("ApplicationStart", spec, layout.archiveDir),
    ValidateService: () => runHooks("ValidateService", spec, layout.archiveDir),
  };

  try {
    for (const [i, event] of LIFECYCLE_EVENTS.entries()) {
      if (failedAt >= 0) {
        await reporter.eventEnded(event, "Skipped");
        continue;
      }
      if (signal.aborted) {
        stopped = true;
        failedAt = i;
        await reporter.eventEnded(event, "Skipped");
        continue;
      }
      await reporter.eventStarted(event);
      try {
        await steps[event]();
        await reporter.eventEnded(event, "Succeeded");
      } catch (err) {
        failedAt = i;
        if (signal.aborted) stopped = true;
        const diagnostics = err instanceof EventFailure ? err.diagnostics : unknownError((err as Error).message);
        if (!(err instanceof EventFailure)) say(event, diagnostics.message);
        await reporter.eventEnded(event, "Failed", diagnostics);
      }
    }
  } finally {
    if (conn) {
      const c: HostConnection = conn;
      const finished = await finishHost(c, layout, scriptsLog.join("\n") + "\n").then(
        () => true,
        () => false,
      );
      // A stop may have closed channels mid-way; only a connection that just worked is kept.
      input.pool.release(c, finished && !signal.aborted);
    }
  }
  if (stopped) return "Stopped";
  return failedAt >= 0 ? "Failed" : "Succeeded";
}
