import { layoutInstall, type ArchiveEntry } from "./install-layout";
import { InstallPlanError } from "./install-plan-error";
import { resolvePermissions, type PermissionChange } from "./install-permissions";
import { normalizeAbsolute, parentOf } from "./paths";
import type { AppSpec, FileExistsBehavior } from "./types";

export type { ArchiveEntry } from "./install-layout";
export { InstallPlanError, type InstallPlanErrorCode } from "./install-plan-error";
export type { PermissionChange } from "./install-permissions";
export { renderInstallScript, type InstallScriptOptions } from "./install-script";

export type HostPathType = "file" | "directory" | "symlink";

export type InstallCopy = {
  /** Relative to the unpacked revision root. */
  from: string;
  /** Absolute path on the host. */
  to: string;
  /** A symlink in the revision is installed as a symlink, as the agent does. */
  kind: "file" | "symlink";
  /** OVERWRITE over a file the previous deployment did not install: remove it before copying. */
  replace: boolean;
};

export type InstallPlan = {
  /** The previous cleanup list, newest first: what the last deployment installed, undone. */
  removals: string[];
  /** Directories to create, outermost first. */
  mkdirs: string[];
  /** Directories the previous deployment made that this one needs too: neither removed nor made. */
  keptDirectories: string[];
  copies: InstallCopy[];
  /** The new cleanup file's lines, in install order: mkdirs, then copies. */
  cleanup: string[];
  /** Files left as they are under RETAIN. */
  retained: string[];
  /**
   * Files already on the host byte for byte, with the revision file's size, mode and owner: not
   * removed and not copied again, but installed by this deployment all the same (cleanup list,
   * permissions).
   */
  unchanged: string[];
  /** In order; each path appears once. */
  permissions: PermissionChange[];
};

export type PlanInstallInput = {
  spec: AppSpec;
  entries: ArchiveEntry[];
  /** Lines of the previous cleanup file (parseCleanupFile), in install order. */
  previousCleanup: string[];
  /**
   * What exists on the host now, for the paths installCandidates returned; absent = missing.
   * A symlink to a directory must be reported as "directory" (probe `-d` before `-L`).
   */
  existing: Record<string, HostPathType>;
  /** The deployment's option; the appspec's file_exists_behavior beats it. */
  fileExistsBehavior: FileExistsBehavior;
  /** Destinations whose file is already the revision's byte for byte, with its mode and owner. */
  unchanged?: ReadonlySet<string>;
};

/**
 * Every absolute path the install would create or write: destination files and each directory on
 * the way. Probe these on the host and pass what exists to planInstall.
 */
export function installCandidates(spec: AppSpec, entries: ArchiveEntry[]): string[] {
  return layoutInstall(spec, entries).map((target) => target.path);
}

/**
 * Decides the whole Install before the host is touched. CodeDeploy removes the previous revision
 * and only then discovers a DISALLOW conflict, leaving the host with neither revision; planning
 * first means a conflict fails the event with the old files still in place.
 */
export function planInstall(input: PlanInstallInput): InstallPlan {
  const behavior = input.spec.fileExistsBehavior ?? input.fileExistsBehavior;
  const unchanged = input.unchanged ?? new Set<string>();
  const previous = input.previousCleanup
    .map((line) => normalizeAbsolute(line))
    .filter((path): path is string => path !== undefined && path !== "/")
    .reverse();
  // A file the previous deployment installed that is already this revision's stays where it is.
  const kept = new Set<string>();
  // The previous deployment's paths are removed first, so they never conflict; its directories
  // are recreated (mkdir -p) and stay owned, whether or not removal managed to empty them.
  const owned = new Set(previous);
  const plan: InstallPlan = { removals: [], mkdirs: [], keptDirectories: [], copies: [], cleanup: [], retained: [], unchanged: [], permissions: [] };

  for (const target of layoutInstall(input.spec, input.entries)) {
    const found = owned.has(target.path) ? undefined : input.existing[target.path];
    if (target.kind === "directory") {
      if (found === "directory") continue; // existing directories never conflict, and stay unowned
      if (owned.has(target.path) && input.existing[target.path] === "directory") {
        plan.keptDirectories.push(target.path);
        kept.add(target.path);
        continue;
      }
      if (found !== undefined) {
        throw new InstallPlanError(
          "TypeConflict",
          `The deployment failed because the revision installs a directory at ${target.path}, but a file already exists at this location.`,
        );
      }
      plan.mkdirs.push(target.path);
      continue;
    }
    if (found === "directory") {
      throw new InstallPlanError(
        "TypeConflict",
        `The deployment failed because the revision installs the file ${target.from} at ${target.path}, but a directory already exists at this location.`,
      );
    }
    const copy: InstallCopy = { from: target.from, to: target.path, kind: target.kind, replace: false };
    // Identical already: the previous deployment's own file, or a file OVERWRITE would replace.
    // (DISALLOW still fails and RETAIN still keeps, as with any existing file.)
    if (target.kind === "file" && unchanged.has(target.path) && (owned.has(target.path) || behavior === "OVERWRITE")) {
      plan.unchanged.push(target.path);
      kept.add(target.path);
      continue;
    }
    if (found === undefined) {
      plan.copies.push(copy);
    } else if (behavior === "OVERWRITE") {
      plan.copies.push({ ...copy, replace: true });
    } else if (behavior === "RETAIN") {
      plan.retained.push(target.path);
    } else {
      throw new InstallPlanError(
        "FileExists",
        `The deployment failed because a specified file already exists at this location: ${target.path}`,
      );
    }
  }

  // What the previous deployment installed, undone, except what stays as it is.
  plan.removals = previous.filter((path) => !kept.has(path));
  plan.copies = groupByDirectory(plan.copies);
  plan.cleanup = [...plan.keptDirectories, ...plan.mkdirs, ...plan.unchanged, ...plan.copies.map((c) => c.to)];
  plan.permissions = resolvePermissions(input.spec.permissions, {
    files: [...plan.unchanged, ...plan.copies.filter((c) => c.kind === "file").map((c) => c.to)],
    directories: [...plan.keptDirectories, ...plan.mkdirs],
  });
  return plan;
}

/**
 * Copies into one directory kept together (stable), so the script copies each directory's files
 * with one cp. Every directory exists before the first copy, so the order between them is free.
 */
function groupByDirectory(copies: InstallCopy[]): InstallCopy[] {
  const groups = new Map<string, InstallCopy[]>();
  for (const copy of copies) {
    const dir = parentOf(copy.to);
    const group = groups.get(dir);
    if (group) group.push(copy);
    else groups.set(dir, [copy]);
  }
  return [...groups.values()].flat();
}
