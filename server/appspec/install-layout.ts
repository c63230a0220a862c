import { InstallPlanError } from "./install-plan-error";
import {
  ancestorsOf,
  baseName,
  joinPath,
  normalizeAbsolute,
  normalizeRelative,
  relativeAncestorsOf,
} from "./paths";
import type { AppSpec } from "./types";

/** One entry of the unpacked revision: a POSIX path relative to the revision root, no "./". */
export type ArchiveEntry = { path: string; type: "file" | "directory" | "symlink" };

/** Where the files section puts things, before looking at what the host already has. */
export type LayoutTarget =
  | { kind: "directory"; path: string }
  | { kind: "file" | "symlink"; path: string; from: string };

/**
 * Every directory and file the files section maps onto the host, in install order: for each
 * mapping, the directories above its destination outermost first, then its contents with parents
 * before children. Mapping errors are found here, before anything is copied, as the agent does.
 */
export function layoutInstall(spec: AppSpec, entries: readonly ArchiveEntry[]): LayoutTarget[] {
  const archive = indexArchive(entries);
  const sorted = [...archive.keys()].sort();
  const targets = new Map<string, LayoutTarget>();

  const addDirectory = (path: string) => {
    const prior = targets.get(path);
    if (prior?.kind === "directory") return; // two directory sources may share a destination
    if (prior) {
      throw new InstallPlanError(
        "DuplicateDestination",
        `The deployment failed because the application specification file calls for a directory at ${path}, but it also installs the file ${prior.from} there. Update the files section of the AppSpec file, and then try again.`,
      );
    }
    targets.set(path, { kind: "directory", path });
  };
  const addFile = (path: string, from: string, kind: "file" | "symlink") => {
    const prior = targets.get(path);
    if (prior?.kind === "directory") {
      throw new InstallPlanError(
        "DuplicateDestination",
        `The deployment failed because the application specification file calls for installing the file ${from}, but a directory is installed at that location (${path}). Update your AppSpec file or directory structure, and then try again.`,
      );
    }
    if (prior) {
      throw new InstallPlanError(
        "DuplicateDestination",
        `The deployment failed because the application specification file specifies two source files named ${from} and ${prior.from} for the same destination (${path}). Remove one of the source file paths from the AppSpec file, and then try again.`,
      );
    }
    targets.set(path, { kind, path, from });
  };

  for (const { source, destination } of spec.files) {
    const dest = normalizeAbsolute(destination);
    const src = normalizeRelative(source);
    if (dest === undefined || src === undefined) {
      throw new InstallPlanError(
        "InvalidPath",
        `The deployment failed because the files mapping from ${source} to ${destination} climbs out of its ${src === undefined ? "revision" : "destination"} with "..". Update the files section of the AppSpec file, and then try again.`,
      );
    }
    const type = archive.get(src);
    if (type === undefined) {
      throw new InstallPlanError(
        "SourceMissing",
        `The deployment failed because the source ${source} of a files mapping does not exist in the revision. Update the files section of the AppSpec file, and then try again.`,
      );
    }
    if (type === "directory") {
      // A directory source copies its CONTENTS into destination, recursively.
      for (const dir of ancestorsOf(dest)) addDirectory(dir);
      if (dest !== "/") addDirectory(dest);
      const prefix = src === "" ? "" : `${src}/`;
      for (const path of sorted) {
        if (path === "" || !path.startsWith(prefix)) continue;
        const to = checkedPath(joinPath(dest, path.slice(prefix.length)));
        const entryType = archive.get(path);
        if (entryType === "directory") addDirectory(to);
        else addFile(to, path, entryType === "symlink" ? "symlink" : "file");
      }
    } else {
      // A file (or symlink) source lands in destination under its own name.
      const to = checkedPath(joinPath(dest, baseName(src)));
      for (const dir of ancestorsOf(to)) addDirectory(dir);
      addFile(to, src, type);
    }
  }
  return [...targets.values()];
}

/** Path -> type for the revision, with the directories that zips often leave implicit. */
function indexArchive(entries: readonly ArchiveEntry[]): Map<string, ArchiveEntry["type"]> {
  const index = new Map<string, ArchiveEntry["type"]>([["", "directory"]]);
  for (const entry of entries) {
    const path = normalizeRelative(entry.path);
    if (path === undefined || entry.path.startsWith("/")) {
      throw new InstallPlanError("InvalidPath", `The revision contains an unsafe path: ${entry.path}`);
    }
    for (const dir of relativeAncestorsOf(path)) index.set(dir, "directory");
    // A path that other entries live under is a directory, whatever its own entry says.
    if (path !== "" && index.get(path) !== "directory") index.set(path, entry.type);
  }
  return index;
}

/** The cleanup file holds one path per line, so a newline in a path could never be cleaned up. */
function checkedPath(path: string): string {
  if (path.includes("\n") || path.includes("\0")) {
    throw new InstallPlanError(
      "InvalidPath",
      `The deployment failed because the revision installs a path with a newline or NUL in its name: ${JSON.stringify(path)}`,
    );
  }
  return path;
}
