import crypto from "node:crypto";
import type { Diagnostics } from "../../drizzle/schema";
import type { HookScript } from "../appspec/types";
import { shq } from "../lib/shell";
import type { HostConnection } from "./connection";
import { createLineSplitter, logTail } from "./line-splitter";

export type HookOutput = (stream: "stdout" | "stderr" | "system", text: string) => void;

export type RunHookInput = {
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

/**
 * Runs one hook script as the CodeDeploy agent does: its own process group (setsid), stdin
 * closed, the CodeDeploy environment, a timeout that kills the whole group. The wrapper prints
 * markers with a per-run nonce on stderr: the group id first, then the exit code. Completion is
 * the exit marker, not the channel's close, so a background child that keeps stdout open cannot
 * hold the deployment.
 */
export async function runHook(input: RunHookInput): Promise<HookResult> {
  const { conn, script, onLine } = input;
  const path = scriptPath(input.archiveDir, script.location);
  const nonce = crypto.randomBytes(8).toString("hex");
  const marker = `@@slipway-${nonce}@@`;
  const lines: string[] = [];
  let pgid: number | null = null;
  let exitCode: number | null = null;
  let missing = false;
  let notExecutable = false;

  const record = (stream: "stdout" | "stderr", text: string) => {
    lines.push(text);
    onLine(stream, text);
  };
  const stdout = createLineSplitter((l) => record("stdout", l));
  let resolveExit: () => void = () => {};
  const exited = new Promise<void>((r) => (resolveExit = r));
  const stderr = createLineSplitter((line) => {
    const at = line.indexOf(marker);
    if (at === -1) return record("stderr", line);
    if (at > 0) record("stderr", line.slice(0, at)); // the script's last line had no newline
    const [word, arg] = line.slice(at + marker.length).trim().split(" ");
    if (word === "pgid") pgid = Number(arg);
    else if (word === "missing") missing = true;
    else if (word === "notexec") notExecutable = true;
    else if (word === "exit") {
      exitCode = Number(arg);
      resolveExit();
    }
  });

  const command = `exec setsid -w sh -c ${shq(wrapper(marker, path, script, input))}`;
  let channelClose: () => void = () => {};
  let timedOut = false;
  let stopped = false;
  const kill = async () => {
    if (pgid) await conn.run(`kill -KILL -- -${pgid} 2>/dev/null; true`).catch(() => {});
    channelClose();
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

  try {
    const done = conn.exec(command, {
      onStdout: (c) => stdout.push(c),
      onStderr: (c) => stderr.push(c),
      onChannel: (ch) => (channelClose = () => ch.close()),
    });
    const result = await Promise.race([done, exited.then(() => null)]);
    if (result === null) {
      // The script exited; give its output a moment to drain, then let go of the channel even
      // if a background child still holds it open.
      await Promise.race([done, new Promise((r) => setTimeout(r, 200))]);
      channelClose();
    }
  } finally {
    clearTimeout(timer);
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

function wrapper(marker: string, path: string, script: HookScript, input: RunHookInput): string {
  const env = Object.entries(input.env)
    .map(([k, v]) => `${k}=${shq(v)}`)
    .join(" ");
  const run = script.runas
    ? input.asRoot
      ? `runuser -u ${shq(script.runas)} -- env ${env} "$s"`
      : `sudo -n -u ${shq(script.runas)} -- env ${env} "$s"`
    : script.sudo && !input.asRoot
      ? `sudo -n -- env ${env} "$s"`
      : `env ${env} "$s"`;
  const say = (what: string) => `printf '%s\\n' ${shq(`${marker}${what}`)} >&2`;
  return [
    `printf '%s\\n' "${marker}pgid $$" >&2`,
    `s=${shq(path)}`,
    `if [ ! -f "$s" ]; then ${say("missing")}; ${say("exit 127")}; exit 127; fi`,
    `if [ ! -x "$s" ]; then chmod +x "$s" 2>/dev/null || { ${say("notexec")}; ${say("exit 126")}; exit 126; }; fi`,
    `cd ${shq(input.archiveDir)} || { ${say("exit 1")}; exit 1; }`,
    `${run} </dev/null`,
    `rc=$?`,
    `printf '%s\\n' "${marker}exit $rc" >&2`,
    `exit $rc`,
  ].join("\n");
}
