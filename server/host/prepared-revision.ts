import type { ArchiveEntry } from "../appspec/install-plan";

/**
 * A revision made ready once per deployment on the server: validated against its declared
 * type, checked for unsafe entries, and rewritten as a plain tar so a host needs only `tar -x`.
 */
export type PreparedRevision = {
  tarFile: string;
  sha256: string;
  entries: ArchiveEntry[];
  /** The text of appspec.yml (or appspec.yaml) at the revision root, null when it has none. */
  appspecText: string | null;
};
