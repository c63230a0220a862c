import crypto from "node:crypto";
import net from "node:net";
import ssh2, { type Client, type ClientChannel } from "ssh2";

/** What Slipway needs to reach one host. The private key is plaintext only in memory. */
export type HostAccess = {
  name: string;
  address: string;
  port: number;
  username: string;
  privateKey: string;
  /** The pinned "SHA256:..." fingerprint; null means not trusted yet. */
  fingerprint: string | null;
};

/** How to reach a registered host; the sealed private key is opened here, in memory only. */
export function hostAccess(
  row: { name: string; address: string; port: number; username: string; privateKeyEnc: string; hostKeyFingerprint: string | null },
  secrets: { open(sealed: string): string },
): HostAccess {
  return {
    name: row.name,
    address: row.address,
    port: row.port,
    username: row.username,
    privateKey: secrets.open(row.privateKeyEnc),
    fingerprint: row.hostKeyFingerprint,
  };
}

export type ExecOptions = {
  stdin?: string | Buffer | NodeJS.ReadableStream;
  /** Leave stdin open for the caller to write to (through the channel from onChannel). */
  keepStdinOpen?: boolean;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Called with the channel once open, so a caller can close it early. */
  onChannel?: (channel: ClientChannel) => void;
};

export type ExecResult = { code: number | null; signal?: string };

export type HostConnection = {
  exec(command: string, opts?: ExecOptions): Promise<ExecResult>;
  /** exec, collecting output; for Slipway's own short commands. */
  run(command: string, stdin?: string | Buffer): Promise<{ code: number | null; stdout: string; stderr: string }>;
  close(): void;
  /** False once the connection has ended or failed. */
  alive(): boolean;
  readonly fingerprint: string;
};

export class HostConnectError extends Error {
  constructor(
    message: string,
    readonly kind: "Unreachable" | "HostKeyMismatch" | "Untrusted" | "AuthFailed",
    readonly seenFingerprint?: string,
  ) {
    super(message);
    this.name = "HostConnectError";
  }
}

/** What `ssh-keygen -lf` prints for a key: "SHA256:" and 43 characters of unpadded base64. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** OpenSSH's SHA256 fingerprint of a raw host key blob ("SHA256:" + unpadded base64). */
export function fingerprintOf(hostKey: Buffer): string {
  return "SHA256:" + crypto.createHash("sha256").update(hostKey).digest("base64").replace(/=+$/, "");
}

const READY_TIMEOUT_MS = 15_000;

/**
 * Opens one SSH connection. The host key must match the pinned fingerprint unless
 * `acceptAnyHostKey` (used only by "Test connection", which shows the key to the operator).
 */
export function connectHost(access: HostAccess, opts: { acceptAnyHostKey?: boolean } = {}): Promise<HostConnection> {
  return new Promise((resolve, reject) => {
    const where = `${access.name} (${access.address}:${access.port})`;
    if (!access.fingerprint && !opts.acceptAnyHostKey) {
      reject(
        new HostConnectError(
          `Host ${where} has no trusted host key yet: use "Test connection" and trust its fingerprint first.`,
          "Untrusted",
        ),
      );
      return;
    }
    let seen = "";
    let settled = false;
    const client = new ssh2.Client();
    // Our own socket: ssh2 leaves Nagle on, which costs ~45 ms on every exec round trip.
    const sock = net.connect({ host: access.address, port: access.port });
    sock.setNoDelay(true);
    sock.setKeepAlive(true, 10_000);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      sock.destroy();
      reject(err);
    };
    sock.on("error", (err) => fail(new HostConnectError(`Could not connect to ${where}: ${err.message}`, "Unreachable")));
    client.on("error", (err: Error & { level?: string }) => {
      if (seen && access.fingerprint && seen !== access.fingerprint && !opts.acceptAnyHostKey) {
        fail(
          new HostConnectError(
            `The host key of ${where} has changed: Slipway trusts ${access.fingerprint} but the host presented ${seen}. ` +
              `If the host was rebuilt on purpose, test the connection again and trust the new fingerprint.`,
            "HostKeyMismatch",
            seen,
          ),
        );
      } else if (err.level === "client-authentication") {
        fail(new HostConnectError(`${where} refused the private key for user "${access.username}".`, "AuthFailed", seen));
      } else {
        fail(new HostConnectError(`Could not connect to ${where}: ${err.message}`, "Unreachable", seen || undefined));
      }
    });
    client.on("ready", () => {
      if (settled) return;
      settled = true;
      resolve(wrap(client, seen));
    });
    try {
      client.connect({
        sock,
        username: access.username,
        privateKey: access.privateKey,
        readyTimeout: READY_TIMEOUT_MS,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        hostVerifier: (key: Buffer) => {
          seen = fingerprintOf(key);
          return opts.acceptAnyHostKey || seen === access.fingerprint;
        },
      });
    } catch (err) {
      // ssh2 throws synchronously on an unparsable private key; never echo the key itself.
      fail(new HostConnectError(`The private key of ${access.name} cannot be used: ${(err as Error).message}`, "AuthFailed"));
    }
  });
}

function wrap(client: Client, fingerprint: string): HostConnection {
  let open = true;
  const ended = () => (open = false);
  client.on("close", ended);
  client.on("end", ended);
  client.on("error", ended);
  const exec = (command: string, opts: ExecOptions = {}) =>
    new Promise<ExecResult>((resolve, reject) => {
      client.exec(command, (err, channel) => {
        if (err) return reject(err);
        opts.onChannel?.(channel);
        let result: ExecResult = { code: null };
        channel.on("exit", (code: number | null, signal?: string) => {
          result = { code, signal };
        });
        channel.on("data", (chunk: Buffer) => opts.onStdout?.(chunk));
        channel.stderr.on("data", (chunk: Buffer) => opts.onStderr?.(chunk));
        channel.on("close", () => resolve(result));
        const { stdin } = opts;
        if (opts.keepStdinOpen) return;
        if (stdin === undefined) channel.end();
        else if (typeof stdin === "string" || Buffer.isBuffer(stdin)) channel.end(stdin);
        else {
          stdin.on("error", (e: Error) => {
            channel.close();
            reject(e);
          });
          stdin.pipe(channel);
        }
      });
    });
  return {
    fingerprint,
    exec,
    async run(command, stdin) {
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      const { code } = await exec(command, {
        stdin: stdin ?? "",
        onStdout: (c) => out.push(c),
        onStderr: (c) => errOut.push(c),
      });
      return { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(errOut).toString("utf8") };
    },
    close: () => {
      open = false;
      client.end();
    },
    alive: () => open,
  };
}
