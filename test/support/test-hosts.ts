// Real OpenSSH test hosts on this machine (design.md, "Test hosts").
//
// Each host is `/usr/sbin/sshd -D -e` on its own 127.0.0.1 port, inside its own mount (and UTS)
// namespace where /var/www, /opt/slipway, /srv and /root are bind mounts of a per-host folder.
// Deploys therefore see ordinary absolute paths, yet every host has its own files, and tests can
// read what landed through `host.path()` without going through SSH.
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { commandLineOf, freePorts, isAlive, killHost, listNamespaceMembers, mountNamespaceOf, signal, waitForSshBanner } from "./host-processes";

const run = promisify(execFile);

export const SSHD = "/usr/sbin/sshd";
const SETPRIV = "/usr/bin/setpriv";
/** The in-host folders that are private to each host; anything else is the shared machine. */
export const HOST_MOUNTS = ["/var/www", "/opt/slipway", "/srv", "/root"] as const;
const START_TIMEOUT_MS = 10_000;

export type ExecResult = { code: number; stdout: string; stderr: string };

export type TestHost = {
  name: string;
  address: "127.0.0.1";
  port: number;
  user: "root";
  /** Per-host folder on the real file system; `<root>/var/www` is the host's /var/www. */
  root: string;
  /** "SHA256:<base64 without padding>", as `ssh-keygen -lf` prints and ssh2's hostVerifier sees. */
  hostKeyFingerprint: string;
  /** Pid of the sshd listener (also the process whose namespaces `exec` enters). */
  pid: number;
  /** Maps an absolute in-host path under one of HOST_MOUNTS to the real file. */
  path(p: string): string;
  /** Runs `sh -c cmd` as root inside the host's namespaces (no SSH involved). */
  exec(cmd: string, opts?: { input?: string }): Promise<ExecResult>;
  /**
   * The command lines of the processes living in this host (its mount namespace), sshd included.
   * Hosts share the machine's pid namespace, so `ps` inside one would also list other hosts'.
   */
  processes(): string[];
  /** Kills the host's sshd and every process inside its namespace (sessions, hook leftovers). */
  stop(): Promise<void>;
};

export type TestHosts = {
  hosts: TestHost[];
  /** The client's private key in OpenSSH format, no passphrase. */
  privateKey: string;
  publicKey: string;
  /** Path of the private key file, for the system `ssh -i`. */
  privateKeyPath: string;
  dir: string;
  stop(): Promise<void>;
};

/** How Slipway logs in to a test host: root with the harness's key, the host key pinned. */
export function loginOf(fleet: Pick<TestHosts, "privateKey">, h: TestHost) {
  return { name: h.name, address: h.address, port: h.port, username: "root", privateKey: fleet.privateKey, fingerprint: h.hostKeyFingerprint };
}

/** Throws a readable error when the machine lacks what the hosts need. */
export function ensureSshd(): void {
  const missing = [SSHD, "/usr/bin/ssh-keygen", "/usr/bin/unshare", "/usr/bin/nsenter"].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `Test hosts need ${missing.join(", ")}. Install them with ` +
        "`apt-get install -y openssh-server openssh-client util-linux` (or run `node scripts/ensure-system-deps.mjs`).",
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error("Test hosts need root: they create mount namespaces and bind mounts.");
  }
}

/** What the exit handler must clean up: a host's sshd (and its namespace) or a harness's temp dir. */
type Running = { kind: "host"; pid: number; mountNs: string | null } | { kind: "dir"; dir: string };
const running = new Set<Running>();

// A crashed test run never reaches stop(); kill what we started so no sshd outlives it. 'exit'
// handlers must be synchronous. (setpriv --pdeathsig covers SIGKILL.)
process.once("exit", () => {
  for (const r of running) {
    if (r.kind === "host") signal([r.pid, ...(r.mountNs ? listNamespaceMembers(r.mountNs) : [])], "SIGKILL");
    else rmSync(r.dir, { recursive: true, force: true });
  }
});

export async function startTestHosts(count: number, opts: { prefix?: string } = {}): Promise<TestHosts> {
  ensureSshd();
  prepareMachine();
  const dir = await mkdtemp(path.join(os.tmpdir(), "slipway-hosts-"));
  const guard: Running = { kind: "dir", dir };
  running.add(guard);
  const hosts: TestHost[] = [];
  try {
    const privateKeyPath = path.join(dir, "client_ed25519");
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "slipway-test-client", "-f", privateKeyPath]);
    const privateKey = await readFile(privateKeyPath, "utf8");
    const publicKey = (await readFile(`${privateKeyPath}.pub`, "utf8")).trim();
    const prefix = opts.prefix ?? "host";
    const ports = await freePorts(count);
    const started = await Promise.allSettled(
      ports.map((port, i) => startHost({ dir, name: `${prefix}-${i + 1}`, port, publicKey })),
    );
    for (const s of started) if (s.status === "fulfilled") hosts.push(s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const stop = async () => {
      await Promise.all(hosts.map((h) => h.stop()));
      rmSync(dir, { recursive: true, force: true });
      running.delete(guard);
    };
    return { hosts, privateKey, publicKey, privateKeyPath, dir, stop };
  } catch (error) {
    await Promise.all(hosts.map((h) => h.stop()));
    rmSync(dir, { recursive: true, force: true });
    running.delete(guard);
    throw error;
  }
}

/** The mount points must exist on the real machine to bind over them; sshd needs /run/sshd. */
function prepareMachine(): void {
  for (const p of [...HOST_MOUNTS, "/run/sshd"]) mkdirSync(p, { recursive: true, mode: 0o755 });
}

type HostSpec = { dir: string; name: string; port: number; publicKey: string };

async function startHost(spec: HostSpec): Promise<TestHost> {
  const root = path.join(spec.dir, spec.name);
  const etc = path.join(root, "sshd");
  for (const m of HOST_MOUNTS) await mkdir(path.join(root, m), { recursive: true });
  await mkdir(path.join(root, "root/.ssh"), { recursive: true, mode: 0o700 });
  await mkdir(etc, { recursive: true });
  await chmod(path.join(root, "root"), 0o700);
  await writeFile(path.join(root, "root/.ssh/authorized_keys"), `${spec.publicKey}\n`, { mode: 0o600 });
  await writeFile(path.join(root, "root/.bashrc"), "");
  await writeFile(path.join(etc, "hostname"), `${spec.name}\n`);
  const hostKey = path.join(etc, "ssh_host_ed25519_key");
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", spec.name, "-f", hostKey]);
  const hostKeyFingerprint = fingerprintOf(await readFile(`${hostKey}.pub`, "utf8"));
  const authorizedKeys = path.join(root, "root/.ssh/authorized_keys");

  // A free port can be taken between our probe and sshd's bind(); then try another one.
  let port = spec.port;
  for (let attempt = 1; ; attempt++) {
    const config = path.join(etc, "sshd_config");
    await writeFile(config, sshdConfig({ port, hostKey, authorizedKeys }));
    const started = await runSshd(spec.name, root, config, port);
    if ("pid" in started) {
      const { pid, mountNs } = started;
      return {
        name: spec.name,
        address: "127.0.0.1",
        port,
        user: "root",
        root,
        hostKeyFingerprint,
        pid,
        path: (p) => hostPath(root, p),
        exec: (cmd, opts) => execInHost(pid, cmd, opts?.input),
        processes: () => listNamespaceMembers(mountNs).filter(isAlive).map(commandLineOf),
        stop: started.stop,
      };
    }
    const log = readFileSync(path.join(etc, "sshd.log"), "utf8");
    if (attempt < 3 && /Bind to port|Address already in use/i.test(log)) {
      [port] = await freePorts(1);
      continue;
    }
    throw new Error(`sshd for ${spec.name} on port ${port} did not start: ${started.error}\n${log}`);
  }
}

type Started = { pid: number; mountNs: string; stop: () => Promise<void> } | { error: string };

/** Spawns sshd and waits for its banner; on failure everything it started is already killed. */
async function runSshd(name: string, root: string, config: string, port: number): Promise<Started> {
  const pid = await spawnSshd(name, root, config);
  const entry: Running & { kind: "host" } = { kind: "host", pid, mountNs: null };
  running.add(entry);
  let stopped: Promise<void> | undefined;
  // Idempotent: both host.stop() and TestHosts.stop() may run.
  const stop = () => (stopped ??= killHost(pid, entry.mountNs).then(() => void running.delete(entry)));
  try {
    await waitForSshBanner(port, START_TIMEOUT_MS, () => isAlive(pid));
    // Read only now: right after spawn the pid may still be unshare, in OUR namespace, and
    // "kill everything in that namespace" would then mean the whole machine.
    const mountNs = mountNamespaceOf(pid);
    if (!mountNs || mountNs === mountNamespaceOf(process.pid)) throw new Error("sshd is not in its own mount namespace");
    entry.mountNs = mountNs;
    return { pid, mountNs, stop };
  } catch (error) {
    await stop();
    return { error: (error as Error).message };
  }
}

function sshdConfig(o: { port: number; hostKey: string; authorizedKeys: string }): string {
  return [
    `Port ${o.port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${o.hostKey}`,
    "PidFile none",
    "UsePAM no",
    "PermitRootLogin prohibit-password",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    `AuthorizedKeysFile ${o.authorizedKeys}`,
    // The per-host tree lives under /tmp; its modes are ours to choose, not a security boundary.
    "StrictModes no",
    "Subsystem sftp internal-sftp",
    // Deploys open many channels and connections at once (parallel batches, SFTP + exec).
    "MaxSessions 50",
    "MaxStartups 100",
    "UseDNS no",
    "PrintMotd no",
    "LogLevel ERROR",
    "",
  ].join("\n");
}

/** Starts sshd in fresh namespaces; resolves with its pid once spawned. */
async function spawnSshd(name: string, root: string, config: string): Promise<number> {
  const q = shellQuote;
  const binds = HOST_MOUNTS.map((m) => `mount --bind ${q(path.join(root, m))} ${m}`);
  // A per-host hostname (UTS namespace + /etc/hostname) makes hook output name the right host.
  const script = [
    "set -e",
    ...binds,
    `if [ -e /etc/hostname ]; then mount --bind ${q(path.join(root, "sshd/hostname"))} /etc/hostname; fi`,
    `if command -v hostname >/dev/null; then hostname ${q(name)}; fi`,
    `exec ${SSHD} -D -e -f ${q(config)}`,
  ].join("\n");
  // unshare and sh both exec, so the spawned pid is sshd's own. setpriv --pdeathsig makes the
  // kernel kill sshd if this Node process dies without running its exit handlers.
  const argv = ["unshare", "-m", "-u", "--propagation", "private", "sh", "-c", script];
  const cmd = existsSync(SETPRIV) ? [SETPRIV, "--pdeathsig", "KILL", "--", ...argv] : argv;
  const log = openSync(path.join(root, "sshd/sshd.log"), "a");
  try {
    const child = spawn(cmd[0], cmd.slice(1), {
      stdio: ["ignore", log, log],
      env: cleanEnv({ PATH: "/usr/sbin:/usr/bin:/sbin:/bin" }),
    });
    child.unref();
    return await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("spawn", () => (child.pid ? resolve(child.pid) : reject(new Error("no pid"))));
    });
  } finally {
    closeSync(log);
  }
}

function hostPath(root: string, p: string): string {
  if (!path.isAbsolute(p)) throw new Error(`host.path needs an absolute in-host path, got ${p}`);
  const normal = path.posix.normalize(p);
  const mount = HOST_MOUNTS.find((m) => normal === m || normal.startsWith(`${m}/`));
  if (!mount) throw new Error(`${p} is not private to a test host (only ${HOST_MOUNTS.join(", ")} are)`);
  return path.join(root, normal);
}

function execInHost(pid: number, cmd: string, input?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    // cd inside the namespace: a cwd set by spawn would be the real /root, not the host's.
    const child = spawn("nsenter", ["-t", String(pid), "-m", "-u", "--", "sh", "-c", `cd /root\n${cmd}`], {
      cwd: "/",
      env: cleanEnv({ PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", USER: "root" }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.once("error", reject);
    // A command that exits without reading its stdin closes the pipe first: not an error.
    child.stdin.on("error", () => {});
    child.once("close", (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
    child.stdin.end(input ?? "");
  });
}

/** OpenSSH's fingerprint: sha256 of the raw key blob (the base64 field of a .pub line). */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.trim().split(/\s+/)[1], "base64");
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/**
 * Hosts get a minimal environment, like a fresh login, not the test runner's. The cast is needed
 * because Next's types declare NODE_ENV as a required key of ProcessEnv.
 */
function cleanEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  return vars as NodeJS.ProcessEnv;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
