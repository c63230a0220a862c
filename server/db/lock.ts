import fs from "node:fs";

export type Lock = { release(): void };

/**
 * An exclusive lock file holding the owner's pid. PGlite corrupts its data directory when two
 * processes open it, so a second Slipway fails here with a message instead. A lock left by a
 * process that no longer exists is taken over.
 */
export function acquireLock(file: string, what: string): Lock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, "wx", 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, "utf8") === String(process.pid)) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(fs.readFileSync(file, "utf8").trim());
      if (owner && isAlive(owner)) {
        throw new Error(
          `The embedded database at ${what} is in use by another Slipway process (pid ${owner}). ` +
            `Stop that process, or set SLIPWAY_DATA_DIR to another folder or DATABASE_URL to a PostgreSQL server.`,
        );
      }
      fs.rmSync(file, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
