/**
 * Output like the aws CLI's: JSON with 4-space indents. Dates become epoch seconds (with the
 * milliseconds as the fraction), the way the CodeDeploy API sends timestamps; absent fields are
 * left out rather than printed as null-ish noise.
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function toJson(value: unknown): Json | undefined {
  if (value === undefined || typeof value === "function") return undefined;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map((v) => toJson(v) ?? null);
  if (typeof value === "object") {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) {
      const j = toJson(v);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return String(value);
}

export function formatJson(value: unknown): string {
  return `${JSON.stringify(toJson(value) ?? null, null, 4)}\n`;
}
