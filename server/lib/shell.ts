/**
 * The one helper that puts a value into a remote shell command. Everything interpolated into a
 * command sent over SSH goes through it: appspec paths, form fields, ids. POSIX single quotes
 * take every byte literally except the quote itself, which is closed, escaped and reopened.
 */
export function shq(value: string | number): string {
  const s = String(value);
  if (s.includes("\0")) throw new Error("a NUL byte cannot be passed to a shell");
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Joins an argv into one shell-quoted command line. */
export function shJoin(argv: readonly (string | number)[]): string {
  return argv.map(shq).join(" ");
}
