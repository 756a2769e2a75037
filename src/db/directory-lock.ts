// PGlite is a single-process database: two bots on one data directory would corrupt it.
// A lock file holding the owner's pid turns that mistake into a clear error; a lock left by
// a process that no longer exists (killed) is taken over.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export class DirectoryLockedError extends Error {
  constructor(directory: string, pid: number) {
    super(
      `The data directory ${directory} is in use by another bot process (pid ${pid}). ` +
        "Stop it first, or point DATA_DIR elsewhere, or set DATABASE_URL to share a PostgreSQL server between processes.",
    );
    this.name = "DirectoryLockedError";
  }
}

export function acquireDirectoryLock(directory: string): () => void {
  const lockFile = path.join(directory, "bot.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockFile, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DirectoryLockedError(directory, owner);
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${directory}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
