// A data directory for a bot process in an end-to-end test, holding an embedded database that is
// already created and migrated: the process skips initdb and the migrations (most of its start-up
// time), and starts as a first start would, with nothing in it. The e2e test of a first start
// (test/e2e/console.test.ts) leaves its directory empty on purpose.
import { randomBytes } from "node:crypto";
import { cp, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { openDatabase } from "../../src/db/database.ts";
import { migrationsHash, SNAPSHOTS } from "./database.ts";

let template: Promise<string> | undefined;

/** A migrated PGlite directory, made once and kept on disk per migrations and PGlite version. */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const directory = path.join(SNAPSHOTS, `pglite-dir-${await migrationsHash()}`);
    if (await stat(directory).then(() => true, () => false)) return directory;
    const scratch = `${directory}.${process.pid}.${randomBytes(3).toString("hex")}`;
    const db = await openDatabase({ dataDir: scratch });
    try {
      await db.migrate();
    } finally {
      await db.close();
    }
    // Another test file may have made it meanwhile; either copy is good.
    await rename(path.join(scratch, "pglite"), directory).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
    await rm(scratch, { recursive: true, force: true });
    return directory;
  })();
  return template;
}

/** Puts a migrated, empty embedded database into `dataDir` (the bot's DATA_DIR). */
export async function seedDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await cp(await migratedTemplate(), path.join(dataDir, "pglite"), { recursive: true });
}
