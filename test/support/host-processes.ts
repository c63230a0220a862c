// The machine-level helpers behind the test hosts: free ports and the SSH banner that says sshd
// is ready, and the processes of a host's private mount namespace, read from /proc, signalled
// and killed. Nothing here knows about sshd's configuration or the per-host folders.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import net from "node:net";

// --- ports -------------------------------------------------------------------------------------

/** Asks the kernel for `count` distinct free ports, holding them all open so none repeats. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<net.Server>((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** A listening socket is not enough: sshd is ready once it sends its "SSH-2.0-" banner. */
export async function waitForSshBanner(port: number, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await readsBanner(port)) return;
    if (!alive()) throw new Error("sshd exited");
    if (Date.now() > deadline) throw new Error(`no SSH banner within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function readsBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    let data = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on("data", (b: Buffer) => {
      data += b.toString("latin1");
      if (data.includes("\n")) done(data.startsWith("SSH-2.0-"));
    });
    socket.once("error", () => done(false));
    socket.once("close", () => done(false));
  });
}

// --- processes ---------------------------------------------------------------------------------

/** The mount namespace id ("mnt:[4026...]") of a process, or null once it is gone. */
export function mountNamespaceOf(pid: number): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return null;
  }
}

/**
 * Every process inside a host's private mount namespace: sshd's per-connection children call
 * setsid() and outlive the listener's SIGTERM, and hooks may leave daemons behind. Only processes
 * we started (directly or through that sshd) can be in the namespace, so killing them is exact.
 */
export function listNamespaceMembers(mountNs: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    if (mountNamespaceOf(Number(entry)) === mountNs) pids.push(Number(entry));
  }
  return pids;
}

export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/** Alive and not a zombie: without an init that reaps, dead orphans linger in /proc as "Z". */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

export function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    // 0 and negative pids address process groups (-1: every process we may signal). Never.
    if (!Number.isInteger(pid) || pid <= 1) continue;
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Kills a host: its sshd and everything in its namespace. SIGTERM first, SIGKILL after a grace
 * period; re-scans because a session may fork while we wait.
 */
export async function killHost(pid: number, mountNs: string | null): Promise<void> {
  const members = () => [pid, ...(mountNs ? listNamespaceMembers(mountNs) : [])].filter(isAlive);
  const deadline = Date.now() + 5_000;
  let sig: NodeJS.Signals = "SIGTERM";
  for (let round = 0; Date.now() < deadline; round++) {
    const pids = members();
    if (pids.length === 0) return;
    if (round === 50) sig = "SIGKILL"; // ~1 s of grace
    signal(pids, sig);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`could not kill test host processes: ${members().join(", ")}`);
}
