import { UsageError } from "./errors";
import { parseShorthand, pickKeys } from "./shorthand";

export const ROLLBACK_EVENTS = ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"] as const;
export type AutoRollbackConfiguration = { enabled: boolean; events: (typeof ROLLBACK_EVENTS)[number][] };

/**
 * `--auto-rollback-configuration enabled=true,events=DEPLOYMENT_FAILURE,DEPLOYMENT_STOP_ON_REQUEST`
 * (events also as `[A,B]`), or the JSON `{"enabled": true, "events": ["DEPLOYMENT_FAILURE"]}`.
 */
export function parseAutoRollback(option: string, text: string | undefined): AutoRollbackConfiguration | undefined {
  if (text === undefined) return undefined;
  const f = pickKeys(option, parseShorthand(option, text), ["enabled", "events"] as const);
  const enabled = (f.enabled ?? "true").toLowerCase();
  if (enabled !== "true" && enabled !== "false") throw new UsageError(`Error parsing parameter '--${option}': enabled must be true or false, not '${f.enabled}'`);
  let events: string[] = [];
  const raw = (f.events ?? "").trim();
  if (raw.startsWith("[") && raw.includes('"')) {
    try {
      events = (JSON.parse(raw) as unknown[]).map(String);
    } catch {
      throw new UsageError(`Error parsing parameter '--${option}': events is not a JSON list: ${raw}`);
    }
  } else events = raw.replace(/^\[|\]$/g, "").split(",").map((e) => e.trim()).filter(Boolean);
  const bad = events.filter((e) => !(ROLLBACK_EVENTS as readonly string[]).includes(e));
  if (bad.length) throw new UsageError(`Error parsing parameter '--${option}': unknown event${bad.length > 1 ? "s" : ""} ${bad.join(", ")}; valid events are ${ROLLBACK_EVENTS.join(", ")}`);
  return { enabled: enabled === "true", events: events as AutoRollbackConfiguration["events"] };
}

export const AUTO_ROLLBACK_OPTION = {
  type: "string",
  placeholder: "enabled=true,events=DEPLOYMENT_FAILURE",
  description: `Roll back automatically on these events (${ROLLBACK_EVENTS.join(", ")}).`,
} as const;
