import { UsageError } from "./errors";

/**
 * The aws CLI's shorthand for a structure, `Key=Name,Value=web,Type=KEY_AND_VALUE`, or the same
 * as JSON. A segment without `=` continues the previous value, so `Value=a,b` keeps its comma.
 */
export function parseShorthand(option: string, text: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(`Error parsing parameter '--${option}': Invalid JSON: ${(err as Error).message}`);
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new UsageError(`Error parsing parameter '--${option}': expected a JSON object`);
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  }
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (const segment of trimmed.split(",")) {
    const eq = segment.indexOf("=");
    if (eq === -1) {
      if (last === null) throw new UsageError(`Error parsing parameter '--${option}': Expected: '=', received: '${segment}' for input: ${text}`);
      out[last] += `,${segment}`;
      continue;
    }
    last = segment.slice(0, eq).trim();
    out[last] = segment.slice(eq + 1);
  }
  return out;
}

/** Keeps only known keys, naming any other one the way the aws CLI does. */
export function pickKeys<K extends string>(option: string, fields: Record<string, string>, allowed: readonly K[]): Partial<Record<K, string>> {
  const unknown = Object.keys(fields).filter((k) => !(allowed as readonly string[]).includes(k));
  if (unknown.length)
    throw new UsageError(`Error parsing parameter '--${option}': unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `'${k}'`).join(", ")}; valid keys are ${allowed.join(", ")}`);
  return fields as Partial<Record<K, string>>;
}

export function oneOfValues<V extends string>(option: string, value: string | undefined, allowed: readonly V[]): V | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as V;
  throw new UsageError(`argument --${option}: Invalid choice: '${value}', valid choices are: ${allowed.join(" | ")}`);
}
