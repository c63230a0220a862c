import { AppSpecError, FIX_HOOKS } from "./appspec-error";
import { APPSPEC_HOOK_EVENTS, type HookScript } from "./types";
import { describe, isAbsent, scalarText, type YamlTree } from "./yaml-tree";

const DEFAULT_TIMEOUT_SECONDS = 3600;
const KNOWN_EVENTS: ReadonlySet<string> = new Set(APPSPEC_HOOK_EVENTS);

/**
 * The `hooks` section: event name -> list of scripts. An event with a null value is ignored (an
 * appspec template often lists every event with nothing under it).
 */
export function parseHooks(
  node: YamlTree | undefined,
  filename: string,
): Partial<Record<string, HookScript[]>> {
  if (isAbsent(node)) return {};
  if (node.kind !== "map") {
    throw new AppSpecError(
      `The deployment failed because the hooks section of the application specification file is ${describe(node)}, not a mapping of lifecycle event names to scripts. ${FIX_HOOKS}`,
    );
  }
  // The agent checks event names before running anything, with this exact wording.
  const unknown = [...node.entries.keys()].filter((name) => !KNOWN_EVENTS.has(name));
  if (unknown.length > 0) {
    throw new AppSpecError(`${filename} file contains unknown lifecycle events: [${unknown.join(", ")}]`);
  }
  const hooks: Partial<Record<string, HookScript[]>> = {};
  for (const [event, scripts] of node.entries) {
    if (isAbsent(scripts)) continue;
    if (scripts.kind !== "seq") {
      throw new AppSpecError(
        `The deployment failed because the scripts for the ${event} lifecycle event in the application specification file are ${describe(scripts)}, not a list of scripts (each with a location). ${FIX_HOOKS}`,
      );
    }
    hooks[event] = scripts.items.map((script) => parseScript(script, event));
  }
  return hooks;
}

function parseScript(node: YamlTree, event: string): HookScript {
  const location =
    node.kind === "map" ? scalarText(node.entries.get("location"))?.trim() : undefined;
  if (node.kind !== "map" || !location) {
    throw new AppSpecError(
      `The deployment failed because the application specification file specifies a script with no location value for the ${event} lifecycle event. Specify the location in the hooks section of the AppSpec file, and then try again.`,
    );
  }
  const script: HookScript = { location, timeout: parseTimeout(node.entries.get("timeout"), event, location) };
  const runas = node.entries.get("runas");
  if (!isAbsent(runas)) {
    const user = scalarText(runas)?.trim();
    if (!user || /\s/.test(user)) {
      throw new AppSpecError(
        `The deployment failed because the script ${location} for the ${event} lifecycle event specifies an invalid runas value (${describe(runas)}). ${FIX_HOOKS}`,
      );
    }
    script.runas = user;
  }
  const sudo = node.entries.get("sudo");
  if (!isAbsent(sudo)) {
    if (sudo.kind !== "scalar" || typeof sudo.value !== "boolean") {
      throw new AppSpecError(
        `The deployment failed because the script ${location} for the ${event} lifecycle event specifies an invalid sudo value (${describe(sudo)}); use true or false. ${FIX_HOOKS}`,
      );
    }
    script.sudo = sudo.value;
  }
  return script;
}

/** Whole seconds > 0. The agent reads "30" as 30 too, so numeric strings are accepted. */
function parseTimeout(node: YamlTree | undefined, event: string, location: string): number {
  if (isAbsent(node)) return DEFAULT_TIMEOUT_SECONDS;
  const value = node.kind === "scalar" ? node.value : undefined;
  let seconds = Number.NaN;
  if (typeof value === "number") seconds = value;
  else if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) seconds = Number(value);
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new AppSpecError(
      `The deployment failed because an invalid timeout value (${describe(node)}) was provided for the script ${location} in the ${event} lifecycle event of the application specification file. The timeout must be a whole number of seconds greater than 0. ${FIX_HOOKS}`,
    );
  }
  return seconds;
}
