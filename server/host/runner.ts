import crypto from "node:crypto";
import type { ClientChannel } from "ssh2";
import { shq } from "../lib/shell";
import type { HostConnection } from "./connection";

/**
 * One long-lived shell (bash, else sh) per host connection, on one exec channel, that runs Slipway's steps
 * (preparation, hooks, install, wrap-up) as blocks sent down its stdin. A step costs a pipe write
 * and the commands it runs, not a channel open, a session and a login shell on the host: over a
 * deployment that is ten channels fewer per host.
 *
 * Protocol: the server writes `<byte length> <s|i>\n<block>`; the runner evaluates the block in a
 * subshell (`s`: stdin /dev/null, so `exit` ends only the block) or in itself (`i`, for hooks,
 * which then must not exit: a fork less per hook), and then prints `<marker> done <exit code>\n`
 * on stdout and on stderr. A block's output on a stream is exactly what came before that
 * stream's marker (the marker is unique, so it needs no line of its own); the block is over once
 * both markers arrived, so no late output of its own is left behind. Steps whose output the
 * server parses print it as result lines (`r ...`, see `resultLines`), gathered into writes of at
 * most 4000 bytes, each whole lines: even output from a background child of an earlier hook that
 * still holds the channel falls between lines and cannot be mistaken for a result.
 *
 * A runner outlives its deployment as long as its connection stays in the pool (`runnerFor`):
 * the rollback that follows a failure starts without opening a channel or a shell.
 */
export type HostRunner = {
  /** The runner's per-run marker; blocks print `"$M" ...` lines with it (M is set in the runner). */
  readonly marker: string;
  run(block: string, out?: BlockOutput, mode?: "subshell" | "inline"): Promise<BlockResult>;
  /** Ends the runner (EOF on its stdin) and lets go of the channel. */
  close(): void;
  alive(): boolean;
};

export type BlockOutput = {
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
};

export type BlockResult = { code: number; stdout: string; stderr: string };

class RunnerLostError extends Error {
  constructor(message = "The connection to the host was lost.") {
    super(message);
    this.name = "RunnerLostError";
  }
}

/**
 * The runner program itself (bash where the host has it, else sh). `r` adds a result line to a
 * buffer that goes out in one write when the next line would take it past 1000 characters (at
 * most 4000 bytes, under PIPE_BUF: a background writer on the channel cannot land inside it; a
 * longer line goes alone, as every line did before) and when the block ends (`rf`; a subshell
 * block flushes on exit). bash reads a block with `read -N` (byte count under a function-local
 * C locale); sh needs `head -c`, a process per block.
 */
function runnerProgram(marker: string): string {
  return [
    `M=${shq(marker)}`,
    `__rb= __rn=0`,
    `r() { local IFS=' '; __rl="$M r $*\n"; __rn=$((__rn + \${#__rl})); [ "$__rn" -le 1000 ] || { rf; __rn=\${#__rl}; }; __rb=$__rb$__rl; }`,
    `rf() { [ -z "$__rb" ] || printf '%s' "$__rb"; __rb= __rn=0; }`,
    `if [ -n "$BASH_VERSION" ]; then rd() { local LC_ALL=C; IFS= read -r -N "$1" b; }; else rd() { b=$(head -c "$1"); }; fi`,
    `while IFS=' ' read -r n k; do`,
    `  rd "$n" || exit 1`,
    `  if [ "$k" = i ]; then eval "$b" </dev/null; else ( trap rf EXIT; eval "$b" ) </dev/null; fi`,
    `  c=$?`,
    `  rf`,
    `  printf '%s done %s\\n' "$M" "$c"`,
    `  printf '%s done %s\\n' "$M" "$c" >&2`,
    `done`,
  ].join("\n");
}

/** How the runner is started: bash when the host has it (faster), else the POSIX shell. */
function runnerCommand(marker: string): string {
  const program = shq(runnerProgram(marker));
  return `if command -v bash >/dev/null 2>&1; then exec bash --noprofile --norc -c ${program}; else exec sh -c ${program}; fi`;
}

/** The payloads of a block's `r ...` lines, in order; anything else on stdout is not a result. */
export function resultLines(marker: string, stdout: string): string[] {
  const prefix = `${marker} r `;
  const out: string[] = [];
  for (const line of stdout.split("\n")) if (line.startsWith(prefix)) out.push(line.slice(prefix.length));
  return out;
}

type Pending = {
  out: BlockOutput;
  stdout: Buffer[];
  stderr: Buffer[];
  code: number | null;
  done: { stdout: boolean; stderr: boolean };
  resolve: (r: BlockResult) => void;
  reject: (e: Error) => void;
};

/**
 * Splits one stream of the runner into blocks: hands everything before `<marker> done <code>\n`
 * to the current block, holding back only a tail that could be the start of a marker cut across
 * chunks (so a hook's line reaches the page as soon as it is written).
 */
export function streamDemux(marker: string, onData: (chunk: Buffer) => void, onDone: (code: number) => void) {
  const needle = Buffer.from(`${marker} done `);
  let buf: Buffer = Buffer.alloc(0);
  const partialAtEnd = (b: Buffer) => {
    for (let k = Math.min(b.length, needle.length - 1); k > 0; k--)
      if (b.subarray(b.length - k).equals(needle.subarray(0, k))) return k;
    return 0;
  };
  return (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const at = buf.indexOf(needle);
      if (at === -1) {
        const cut = buf.length - partialAtEnd(buf);
        if (cut > 0) onData(buf.subarray(0, cut));
        buf = buf.subarray(cut);
        return;
      }
      if (at > 0) onData(buf.subarray(0, at));
      buf = buf.subarray(at);
      const eol = buf.indexOf(10, needle.length);
      if (eol === -1) return;
      onDone(Number(buf.subarray(needle.length, eol).toString("ascii").trim()));
      buf = buf.subarray(eol + 1);
    }
  };
}

/** Starts the runner on a connection; it lives until `close()` or until the connection ends. */
function openRunner(conn: HostConnection): Promise<HostRunner> {
  const marker = `@@slipway-${crypto.randomBytes(8).toString("hex")}@@`;
  return new Promise((resolveOpen, rejectOpen) => {
    let channel: ClientChannel | null = null;
    let current: Pending | null = null;
    let queue: Promise<unknown> = Promise.resolve();
    let open = true;
    let lost: Error | null = null;

    const finishIfDone = () => {
      const p = current;
      if (!p || !p.done.stdout || !p.done.stderr) return;
      current = null;
      p.resolve({
        code: p.code ?? -1,
        stdout: Buffer.concat(p.stdout).toString("utf8"),
        stderr: Buffer.concat(p.stderr).toString("utf8"),
      });
    };
    // Output that arrives between blocks (a background child of an earlier hook) goes nowhere.
    const side = (stream: "stdout" | "stderr") =>
      streamDemux(
        marker,
        (c) => {
          if (!current) return;
          current[stream].push(c);
          (stream === "stdout" ? current.out.onStdout : current.out.onStderr)?.(c);
        },
        (code) => {
          if (!current) return;
          current.done[stream] = true;
          current.code = code;
          finishIfDone();
        },
      );
    const stdout = side("stdout");
    const stderr = side("stderr");

    const ended = () => {
      open = false;
      lost ??= new RunnerLostError();
      const p = current;
      current = null;
      p?.reject(lost);
    };

    conn
      .exec(runnerCommand(marker), {
        keepStdinOpen: true,
        onStdout: stdout,
        onStderr: stderr,
        onChannel: (ch) => {
          channel = ch;
          resolveOpen(runner);
        },
      })
      .then(ended, (err: Error) => {
        lost = new RunnerLostError(`The connection to the host was lost: ${err.message}`);
        ended();
        rejectOpen(err);
      });

    const runner: HostRunner = {
      marker,
      run(block, out = {}, mode = "subshell") {
        const task = queue.then(
          () =>
            new Promise<BlockResult>((resolve, reject) => {
              if (!open || !channel) return reject(lost ?? new RunnerLostError());
              current = { out, stdout: [], stderr: [], code: null, done: { stdout: false, stderr: false }, resolve, reject };
              const body = Buffer.from(block, "utf8");
              channel.write(Buffer.concat([Buffer.from(`${body.length} ${mode === "inline" ? "i" : "s"}\n`), body]));
            }),
        );
        queue = task.catch(() => {});
        return task;
      },
      close() {
        if (!channel) return;
        open = false;
        const ch = channel;
        ch.end();
        ch.close();
      },
      alive: () => open,
    };
  });
}

/**
 * A block that runs in the runner shell itself (`run(..., "inline")`: no fork): the lines become a
 * function's body, so they end with `return`, never `exit`; `vars` are its local variables.
 */
export function inlineBlock(name: string, vars: string, lines: string[]): string {
  const locals = vars ? [`  local ${vars}`] : [];
  return [`__slipway_${name}() {`, ...locals, ...lines.map((l) => `  ${l}`), `}`, `__slipway_${name}`].join("\n");
}

const idleRunners = new WeakMap<HostConnection, HostRunner>();

/**
 * The runner to use on a connection: the one a previous deployment left on it, if still alive,
 * or a new one. `keep` hands it back for the next deployment on the same (pooled) connection.
 */
export async function runnerFor(conn: HostConnection): Promise<HostRunner> {
  const idle = idleRunners.get(conn);
  idleRunners.delete(conn);
  if (idle?.alive() && conn.alive()) return idle;
  idle?.close();
  return openRunner(conn);
}

export function keepRunner(conn: HostConnection, runner: HostRunner): void {
  if (runner.alive() && conn.alive()) idleRunners.set(conn, runner);
  else runner.close();
}
