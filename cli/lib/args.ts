import { parseArgs } from "node:util";
import type { AnyCommand, OptionSpecs, OptionValues } from "./command";
import { UsageError } from "./errors";

/** Options every command takes. */
export const GLOBAL_OPTIONS = {
  "endpoint-url": { type: "string", placeholder: "url", description: "Slipway server URL (default: $SLIPWAY_URL or http://localhost:3000)." },
  help: { type: "boolean", description: "Show this help." },
} satisfies OptionSpecs;
export type GlobalValues = OptionValues<typeof GLOBAL_OPTIONS>;

/**
 * `--tags A B` as the aws CLI allows it becomes `--tags A --tags B`, so parseArgs sees one value
 * per flag. Values run until the next `--option`.
 */
export function expandLists(args: string[], options: OptionSpecs): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    out.push(arg);
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : null;
    if (!name || !options[name]?.multiple) continue;
    let n = 0;
    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
      if (n++ > 0) out.push(arg);
      out.push(args[++i]);
    }
  }
  return out;
}

type ParseArgsError = Error & { code?: string };

/** Node's parseArgs messages, reworded the way the aws CLI words them. */
function usageErrorOf(err: ParseArgsError): UsageError {
  const option = /'(-{1,2}[^']*)'/.exec(err.message)?.[1] ?? /'([^']*)'/.exec(err.message)?.[1];
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return new UsageError(`Unknown options: ${option ?? err.message}`);
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return new UsageError(`Unknown options: ${option ?? err.message}`);
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return new UsageError(
        /argument missing|ambiguous/.test(err.message) && option
          ? `argument ${option.split(" ")[0]}: expected one argument`
          : err.message,
      );
    default:
      return new UsageError(err.message);
  }
}

type Values = Record<string, string | string[] | boolean | undefined>;

export function parseCommandArgs(command: AnyCommand, args: string[]): { values: Values; globals: GlobalValues } {
  const specs: OptionSpecs = { ...GLOBAL_OPTIONS, ...command.options };
  const config: Record<string, { type: "string" | "boolean"; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries(specs)) config[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  let parsed: Values;
  try {
    parsed = parseArgs({ args: expandLists(args, specs), options: config, strict: true, allowPositionals: false }).values as Values;
  } catch (err) {
    const code = (err as ParseArgsError).code;
    throw code?.startsWith("ERR_PARSE_ARGS_") ? usageErrorOf(err as ParseArgsError) : err;
  }
  const globals: GlobalValues = {
    "endpoint-url": typeof parsed["endpoint-url"] === "string" ? parsed["endpoint-url"] : undefined,
    help: parsed.help === true,
  };
  if (globals.help) return { values: parsed, globals };
  // An empty string is as good as missing: `--application-name ""` usually means an unset variable.
  const missing = Object.entries(command.options)
    .filter(([name, spec]) => spec.required && (parsed[name] === undefined || parsed[name] === ""))
    .map(([name]) => `--${name}`);
  for (const group of command.oneOf ?? [])
    if (group.every((name) => parsed[name] === undefined)) missing.push(group.map((n) => `--${n}`).join(" or "));
  if (missing.length) throw new UsageError(`the following arguments are required: ${missing.join(", ")}`);
  return { values: parsed, globals };
}

/** `slipway create-deployment --application-name <value> [--description <value>]`. */
export function usageLine(command: AnyCommand): string {
  const parts = Object.entries(command.options).map(([name, spec]) => {
    const value = spec.type === "boolean" ? `--${name}` : `--${name} <${spec.placeholder ?? "value"}>${spec.multiple ? " ..." : ""}`;
    return spec.required ? value : `[${value}]`;
  });
  return `usage: slipway ${command.name} ${parts.join(" ")}`.trimEnd();
}

export function helpText(command: AnyCommand): string {
  const all: OptionSpecs = { ...command.options, ...GLOBAL_OPTIONS };
  const rows = Object.entries(all).map(([name, spec]) => {
    const flag = spec.type === "boolean" ? `--${name}` : `--${name} <${spec.placeholder ?? "value"}>`;
    return `  ${flag.padEnd(38)} ${spec.required ? "(required) " : ""}${spec.description}`;
  });
  return `${command.summary}\n\n${usageLine(command)}\n\nOptions:\n${rows.join("\n")}\n`;
}
