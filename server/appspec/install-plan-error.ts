export type InstallPlanErrorCode =
  /** A files mapping names a source the revision does not contain. */
  | "SourceMissing"
  /** A path that climbs out with "..", or one that cannot be written to the cleanup file. */
  | "InvalidPath"
  /** Two sources for one destination, or a file and a directory planned at one path. */
  | "DuplicateDestination"
  /** DISALLOW and a file not installed by the previous deployment is in the way. */
  | "FileExists"
  /** A file would land on an existing directory, or a directory on an existing file. */
  | "TypeConflict"
  /** A permissions entry that cannot apply (a pattern on a file, one path set twice). */
  | "InvalidPermission";

/**
 * Install cannot go ahead. Raised while planning, before anything on the host is touched, so the
 * previous revision stays installed. Messages follow the CodeDeploy agent's where it has one.
 */
export class InstallPlanError extends Error {
  override name = "InstallPlanError";
  readonly code: InstallPlanErrorCode;

  constructor(code: InstallPlanErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
