import type { ArchiveEntry } from "../appspec/install-plan";

/**
 * A revision made ready once per deployment on the server: validated against its declared
 * type, checked for unsafe entries, and rewritten as a plain tar so a host needs only `tar -x`.
 */
export type PreparedRevision = {
  tarFile: string;
  sha256: string;
  /**
   * BLAKE2b-512 of the same file, what a host checks a kept copy with (`b2sum`, several times
   * faster than coreutils' sha256sum), falling back to sha256 where it has no b2sum.
   */
  b2: string;
  entries: ArchiveEntry[];
  /** The text of appspec.yml (or appspec.yaml) at the revision root, null when it has none. */
  appspecText: string | null;
};
