import { connectHost, type HostAccess, type HostConnection } from "../host/connection";
import { shJoin } from "../lib/shell";

/** One host (or the one URL) checked: healthy, unhealthy, or not checkable at all. */
export type TargetResult = { target: string | null; outcome: "ok" | "failed" | "pollError"; message: string };

export type CheckHost = { name: string; address: string; access?: HostAccess };

export type HttpCheck = { url: string; expectedStatus: number; bodyContains: string | null; timeoutSeconds: number };
export type CommandCheck = { command: string; timeoutSeconds: number };

export const HOST_PLACEHOLDER = "{host}";

/** The URL for one host: {host} becomes its address (an IPv6 address in brackets, as URLs need). */
export function urlForHost(url: string, address: string): string {
  const host = address.includes(":") && !address.startsWith("[") ? `[${address}]` : address;
  return url.split(HOST_PLACEHOLDER).join(host);
}

/** The last few lines of a command's output, short enough for a result message. */
export function outputTail(text: string, maxChars = 400): string {
  const lines = text.replace(/\s+$/, "").split("\n").slice(-5).join("\n");
  return lines.length > maxChars ? "…" + lines.slice(-maxChars) : lines;
}

/** Why fetch failed, in the operator's words: "connection refused", "timed out after 5 s". */
function fetchProblem(err: unknown, timeoutSeconds: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `timed out after ${timeoutSeconds} s`;
  const code = e.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host name not found";
  if (code === "ECONNRESET") return "connection reset";
  return e.cause?.message ?? e.message;
}

/**
 * GETs the URL once per host ({host} replaced), or once when the URL has no placeholder. A site
 * that cannot be reached is unhealthy: that is what the check is for, so it is a failure, not a
 * poll error. Redirects are not followed, so the status is the one the server answered.
 */
export async function runHttpCheck(check: HttpCheck, hosts: readonly CheckHost[], signal?: AbortSignal): Promise<TargetResult[]> {
  const targets: { target: string | null; url: string }[] = check.url.includes(HOST_PLACEHOLDER)
    ? hosts.map((h) => ({ target: h.name, url: urlForHost(check.url, h.address) }))
    : [{ target: null, url: check.url }];
  if (targets.length === 0)
    return [{ target: null, outcome: "pollError", message: "No hosts to check: the URL has {host} but the deployment group matches no hosts." }];
  return Promise.all(targets.map((t) => httpOnce(check, t.target, t.url, signal)));
}

async function httpOnce(check: HttpCheck, target: string | null, url: string, signal?: AbortSignal): Promise<TargetResult> {
  const who = target ? `${target}: ` : "";
  const timeout = AbortSignal.timeout(check.timeoutSeconds * 1000);
  const both = signal ? AbortSignal.any([timeout, signal]) : timeout;
  try {
    const res = await fetch(url, { signal: both, redirect: "manual", headers: { "user-agent": "slipway-alarm" } });
    const failed = (message: string): TargetResult => ({ target, outcome: "failed", message: `${who}${message}` });
    if (res.status !== check.expectedStatus) {
      await res.body?.cancel();
      return failed(`GET ${url} returned ${res.status}, expected ${check.expectedStatus}`);
    }
    if (check.bodyContains) {
      const body = await res.text();
      if (!body.includes(check.bodyContains))
        return failed(`GET ${url} returned ${res.status} but the body does not contain "${check.bodyContains}"`);
    } else await res.body?.cancel();
    return { target, outcome: "ok", message: `${who}GET ${url} returned ${res.status}` };
  } catch (err) {
    return { target, outcome: "failed", message: `${who}GET ${url} failed: ${fetchProblem(err, check.timeoutSeconds)}` };
  }
}

/** Rejects after `ms` (or on abort); a connection that arrives late is closed, not leaked. */
function connectWithin(access: HostAccess, ms: number, signal?: AbortSignal): Promise<HostConnection> {
  const pending = connectHost(access);
  return new Promise((resolve, reject) => {
    const giveUp = (why: string) => {
      pending.then((c) => c.close(), () => {});
      reject(new Error(why));
    };
    const timer = setTimeout(() => giveUp(`Could not connect to ${access.name} within ${ms / 1000} s`), ms);
    const onAbort = () => {
      clearTimeout(timer);
      giveUp("stopped");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    pending.then(
      (c) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(c);
      },
      (err: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Runs `sh -c <command>` on each host over its own short-lived SSH connection. Exit 0 is healthy;
 * a command still running at the timeout is unhealthy. A host Slipway cannot reach (refused,
 * host key mismatch, untrusted) is a poll error: nothing is known about its health.
 */
export async function runCommandCheck(check: CommandCheck, hosts: readonly CheckHost[], signal?: AbortSignal): Promise<TargetResult[]> {
  if (hosts.length === 0) return [{ target: null, outcome: "pollError", message: "No hosts to check: the deployment group matches no hosts." }];
  return Promise.all(hosts.map((h) => commandOnce(check, h, signal)));
}

async function commandOnce(check: CommandCheck, host: CheckHost, signal?: AbortSignal): Promise<TargetResult> {
  const target = host.name;
  const ms = check.timeoutSeconds * 1000;
  if (!host.access) return { target, outcome: "pollError", message: `${target}: no SSH access to this host (its key cannot be read)` };
  let conn: HostConnection;
  try {
    conn = await connectWithin(host.access, ms, signal);
  } catch (err) {
    return { target, outcome: "pollError", message: `${target}: ${(err as Error).message}` };
  }
  const out: Buffer[] = [];
  try {
    const exited = conn.exec(shJoin(["sh", "-c", check.command]), {
      onStdout: (c) => out.push(c),
      onStderr: (c) => out.push(c),
    });
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    const timedOut = new Promise<"timeout" | "aborted">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), ms);
      onAbort = () => resolve("aborted");
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    const r = await Promise.race([exited, timedOut]).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    });
    if (r === "aborted") return { target, outcome: "pollError", message: `${target}: stopped` };
    const tail = outputTail(Buffer.concat(out).toString("utf8"));
    const withTail = (m: string) => (tail ? `${m}: ${tail}` : m);
    if (r === "timeout") return { target, outcome: "failed", message: withTail(`${target}: \`${check.command}\` still running after ${check.timeoutSeconds} s`) };
    if (r.code === 0) return { target, outcome: "ok", message: withTail(`${target}: \`${check.command}\` exited 0`) };
    const how = r.code === null ? `was killed by ${r.signal ?? "a signal"}` : `exited ${r.code}`;
    return { target, outcome: "failed", message: withTail(`${target}: \`${check.command}\` ${how}`) };
  } catch (err) {
    return { target, outcome: "pollError", message: `${target}: could not run the command: ${(err as Error).message}` };
  } finally {
    // Closing the connection also ends a command that outlived the timeout.
    conn.close();
  }
}
