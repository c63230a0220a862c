import type { Diagnostics } from "../../drizzle/schema";
import type { HookScript } from "../appspec/types";
import { shq } from "../lib/shell";
import type { HostConnection } from "./connection";
import { inlineBlock, type HostRunner } from "./runner";
import { createLineSplitter, logTail } from "./line-splitter";

export type HookOutput = (stream: "stdout" | "stderr" | "system", text: string) => void;

export type RunHookInput = {
  /** Runs the script; the connection is for killing it (a second channel, while the runner waits). */
  runner: HostRunner;
  conn: HostConnection;
  /** The revision root on the host; script locations are relative to it even with a leading "/". */
  archiveDir: string;
  script: HookScript;
  env: Record<string, string>;
  /** Connected as root: runas uses runuser; otherwise sudo -n. */
  asRoot: boolean;
  onLine: HookOutput;
  /** Aborting kills the script's whole process group (a stop). */
  signal?: AbortSignal;
};

export type HookResult = { ok: true } | { ok: false; diagnostics: Diagnostics };

/** Where a hook's location points on the host: always under the revision root. */
export function scriptPath(archiveDir: string, location: string): string {
  return `${archiveDir}/${location.trim().replace(/^\/+/, "")}`;
}

/** After a kill, how long the script may take to be reaped before the runner is given up. */
const KILL_GRACE_MS = 10_000;

/**
 * Runs one hook script as the CodeDeploy agent does: its own process group and session (setsid),
 * stdin closed, the CodeDeploy environment, a timeout that kills the whole group. It is one block
 * of the host's runner: the block starts the script in the background, reports its process group
 * id behind the runner's marker on stderr, and waits for it. Completion is the script's exit, not
 * the end of its output, so a background child that keeps stdout open cannot hold the deployment.
 */
export async function runHook(input: RunHookInput): Promise<HookResult> {
  const { conn, runner, script, onLine } = input;
  const path = scriptPath(input.archiveDir, script.location);
  const marker = `${runner.marker} hook `;
  const lines: string[] = [];
  let pgid: number | null = null;
  let missing = false;
  let notExecutable = false;

  const record = (stream: "stdout" | "stderr", text: string) => {
    lines.push(text);
    onLine(stream, text);
  };
  const stdout = createLineSplitter((l) => record("stdout", l));
  const stderr = createLineSplitter((line) => {
    const at = line.indexOf(marker);
    if (at === -1) return record("stderr", line);
    if (at > 0) record("stderr", line.slice(0, at)); // the script's last line had no newline
    const [word, arg] = line.slice(at + marker.length).trim().split(" ");
    if (word === "pgid") {
      pgid = Number(arg);
      if (killWanted) void kill();
    } else if (word === "missing") missing = true;
    else if (word === "notexec") notExecutable = true;
  });

  let timedOut = false;
  let stopped = false;
  let killWanted = false;
  let graceTimer: NodeJS.Timeout | undefined;
  const kill = async () => {
    killWanted = true;
    graceTimer ??= setTimeout(() => runner.close(), KILL_GRACE_MS);
    if (pgid) await conn.run(`kill -KILL -- -${pgid} 2>/dev/null; true`).catch(() => runner.close());
  };
  const timer = setTimeout(() => {
    timedOut = true;
    void kill();
  }, script.timeout * 1000);
  const onAbort = () => {
    stopped = true;
    void kill();
  };
  input.signal?.addEventListener("abort", onAbort, { once: true });

  let exitCode: number | null = null;
  try {
    const result = await runner.run(
      block(marker, path, script, input),
      { onStdout: (c) => stdout.push(c), onStderr: (c) => stderr.push(c) },
      "inline",
    );
    exitCode = result.code;
  } catch {
    exitCode = null; // the runner was lost (or given up after a kill)
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
    input.signal?.removeEventListener("abort", onAbort);
    stdout.flush();
    stderr.flush();
  }

  const fail = (errorCode: Diagnostics["errorCode"], message: string): HookResult => {
    onLine("system", message);
    return { ok: false, diagnostics: { errorCode, scriptName: script.location, message, logTail: logTail(lines) } };
  };
  const runasText = script.runas ? ` run as user ${script.runas}` : "";
  if (timedOut)
    return fail("ScriptTimedOut", `Script at specified location: ${script.location} failed to complete in ${script.timeout} seconds`);
  if (stopped) return fail("UnknownError", `Script at specified location: ${script.location} was killed: the deployment was stopped`);
  if (missing) return fail("ScriptMissing", `Script does not exist at specified location: ${path}`);
  if (notExecutable) return fail("ScriptNotExecutable", `Script at specified location: ${script.location} is not executable and could not be made executable`);
  if (exitCode === null) return fail("UnknownError", `Script at specified location: ${script.location} ended without an exit status (the connection was lost)`);
  if (exitCode !== 0)
    return fail("ScriptFailed", `Script at specified location: ${script.location}${runasText} failed with exit code ${exitCode}`);
  return { ok: true };
}

/**
 * The runner block for one script, run in the runner itself (a function that returns, and leaves
 * the runner in /). The script starts in the background in a process group of its own, as the
 * CodeDeploy agent starts it: under bash by job control (`set -m`, no extra process), under sh by
 * setsid (which execs the script in place: the background child is not a group leader). So `$!`
 * is the group's id, and `wait` gets the script's own exit code (128 + signal if killed).
 */
function block(marker: string, path: string, script: HookScript, input: RunHookInput): string {
  const env = Object.entries(input.env)
    .map(([k, v]) => `${k}=${shq(v)}`)
    .join(" ");
  const run = (group: string) =>
    script.runas
      ? input.asRoot
        ? `${group}runuser -u ${shq(script.runas)} -- env ${env} "$s"`
        : `${group}sudo -n -u ${shq(script.runas)} -- env ${env} "$s"`
      : script.sudo && !input.asRoot
        ? `${group}sudo -n -- env ${env} "$s"`
        : `${env} ${group}"$s"`;
  const say = (what: string) => `printf '%s\\n' ${shq(`${marker}${what}`)} >&2`;
  return inlineBlock("hook", "s p", [
    `s=${shq(path)}`,
    `if [ ! -f "$s" ]; then ${say("missing")}; return 127; fi`,
    `if [ ! -x "$s" ]; then chmod +x "$s" 2>/dev/null || { ${say("notexec")}; return 126; }; fi`,
    `cd ${shq(input.archiveDir)} || return 1`,
    `if [ -n "$BASH_VERSION" ]; then set -m; ${run("")} </dev/null & p=$!; set +m; else ${run("setsid ")} </dev/null & p=$!; fi`,
    `cd /`,
    `printf '%s\\n' "${marker}pgid $p" >&2`,
    // 2>/dev/null: bash's own job notices ("Killed") are not the script's output.
    `wait "$p" 2>/dev/null`,
  ]);
}
