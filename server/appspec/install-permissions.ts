import { InstallPlanError } from "./install-plan-error";
import { normalizeAbsolute } from "./paths";
import type { PermissionSpec } from "./types";

/** A chmod and/or chown to apply to one installed path. */
export type PermissionChange = { path: string; mode?: string; owner?: string; group?: string };

/**
 * Resolves the permissions section against what this deployment installs, following the agent:
 * - only installed paths are touched (copied files, directories this deployment creates), never a
 *   retained file or a directory that was already there;
 * - an object that is itself an installed file gets the permission directly (if `type` allows
 *   files), and then a pattern or except list is an error;
 * - otherwise the object is a directory and the matches are installed paths strictly below it:
 *   pattern `**` matches at any depth, any other pattern (where `*` is the only wildcard) and every
 *   except pattern match direct children only;
 * - one path set by two entries is an error.
 * Symlinks are left out: chmod follows them, which would change whatever they point at.
 */
export function resolvePermissions(
  specs: readonly PermissionSpec[],
  installed: { files: readonly string[]; directories: readonly string[] },
): PermissionChange[] {
  const files = new Set(installed.files);
  const seen = new Set<string>();
  const changes: PermissionChange[] = [];
  for (const spec of specs) {
    const object = normalizeAbsolute(spec.object);
    if (object === undefined) continue; // a relative object can match no installed path
    const types = spec.type ?? ["file", "directory"];
    let matches: string[];
    if (files.has(object)) {
      matches = types.includes("file") ? [object] : [];
      if (matches.length > 0 && spec.pattern !== "**") {
        throw new InstallPlanError(
          "InvalidPermission",
          `The deployment failed because the application specification file includes an object (${spec.object}) with an invalid pattern (${spec.pattern}), such as a pattern for a file applied to a directory. Correct the permissions section of the AppSpec file, and then try again.`,
        );
      }
      if (matches.length > 0 && spec.except.length > 0) {
        throw new InstallPlanError(
          "InvalidPermission",
          `The deployment failed because the except parameter for a pattern in the permissions section ([${spec.except.join(", ")}]) for the object named ${spec.object} contains an invalid format. Update the AppSpec file, and then try again.`,
        );
      }
    } else {
      const candidates = [
        ...(types.includes("file") ? installed.files : []),
        ...(types.includes("directory") ? installed.directories : []),
      ];
      matches = candidates.filter((path) => matchesObject(path, object, spec));
    }
    for (const path of matches) {
      if (seen.has(path)) {
        throw new InstallPlanError(
          "InvalidPermission",
          `The deployment failed because the permissions setting for (${path}) is specified more than once in the application specification file. Update the files section of the AppSpec file, and then try again.`,
        );
      }
      seen.add(path);
      const change: PermissionChange = { path };
      if (spec.mode !== undefined) change.mode = spec.mode;
      if (spec.owner !== undefined) change.owner = spec.owner;
      if (spec.group !== undefined) change.group = spec.group;
      if (Object.keys(change).length > 1) changes.push(change);
    }
  }
  return changes;
}

function matchesObject(path: string, object: string, spec: PermissionSpec): boolean {
  const base = object === "/" ? "/" : `${object}/`;
  if (!path.startsWith(base)) return false;
  const rel = path.slice(base.length);
  if (spec.pattern !== "**" && !matchesSimpleGlob(rel, spec.pattern)) return false;
  return !spec.except.some((glob) => matchesSimpleGlob(rel, glob));
}

/** The agent's glob: `*` is the only wildcard, and a name with a "/" never matches. */
export function matchesSimpleGlob(name: string, glob: string): boolean {
  if (name.includes("/")) return false;
  const source = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`, "s").test(name);
}
