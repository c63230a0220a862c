import readline from "node:readline";

/** Reads all of stdin (for `--password-stdin`), without its trailing newline. */
export async function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** Asks on the terminal (stderr, so stdout stays JSON); `hidden` does not echo what is typed. */
export function ask(question: string, opts: { hidden?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (opts.hidden) {
      // readline echoes through _writeToOutput; printing nothing there hides the typing.
      const internal = rl as unknown as { _writeToOutput: (s: string) => void };
      let prompted = false;
      internal._writeToOutput = (s: string) => {
        if (!prompted) {
          prompted = true;
          process.stderr.write(s);
        }
      };
    }
    rl.question(question, (answer) => {
      if (opts.hidden) process.stderr.write("\n");
      rl.close();
      resolve(answer);
    });
  });
}

export async function confirm(question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await ask(`${question} [y/N] `)).trim());
}
