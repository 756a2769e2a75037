// Databases for tests: in-memory PGlite always, and the PostgreSQL server named by DATABASE_URL
// when it is set (CI sets it). Each PostgreSQL test database is a fresh schema, dropped after,
// so test files run in parallel without seeing each other's rows.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.ts";

export type Backend = "pglite" | "postgres";

/** The backends the storage suites run against here. */
export const backends: Backend[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/** The one backend adapter tests run on: the embedded default users run (the storage suites prove PostgreSQL). */
export const adapterBackend: Backend = "pglite";

export interface TestDatabase extends Database {
  /** Empties every table (keeps the migrations), so one database serves a whole test file. */
  reset(): Promise<void>;
  /** For PostgreSQL: open another, independent connection pool to the same schema (a second process). */
  reopen(): Promise<Database>;
}

export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "pglite") {
    const db = await openDatabase({ dataDir: "memory", pgliteSnapshot: await migratedSnapshot() });
    // Applies nothing when the snapshot is current; still the same path the bot takes.
    await db.migrate();
    return { ...db, reset: () => truncateAll(db), reopen: () => Promise.reject(new Error("PGlite is single-process")) };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const schema = `test_${randomBytes(6).toString("hex")}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  const db = await openDatabase({ url, schema });
  await db.migrate();
  const extra: Database[] = [];
  return {
    ...db,
    reset: () => truncateAll(db),
    async reopen() {
      const another = await openDatabase({ url, schema });
      extra.push(another);
      return another;
    },
    async close() {
      for (const another of extra) await another.close();
      await db.close();
      await withClient(url, (client) => client.query(`DROP SCHEMA "${schema}" CASCADE`));
    },
  };
}

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
export const SNAPSHOTS = path.resolve(import.meta.dirname, "../../node_modules/.cache/organizing-bot");
let snapshot: Promise<Blob> | undefined;

/**
 * A freshly migrated PGlite data directory, made once and kept on disk under a name derived from
 * the migrations and the PGlite version (a new migration makes a new one). Starting PGlite from
 * it skips initdb and the migrations, the slowest part of opening a test database.
 */
function migratedSnapshot(): Promise<Blob> {
  snapshot ??= (async () => {
    const file = path.join(SNAPSHOTS, `pglite-${await migrationsHash()}.tar`);
    const stored = await readFile(file).catch(() => undefined);
    if (stored) return new Blob([stored]);
    const db = await openDatabase({ dataDir: "memory" });
    try {
      await db.migrate();
      const tarball = await db.dumpDataDir!();
      await mkdir(SNAPSHOTS, { recursive: true });
      // Test files in other processes may make it at the same time: write aside, then rename.
      const partial = `${file}.${process.pid}.${randomBytes(3).toString("hex")}`;
      await writeFile(partial, new Uint8Array(await tarball.arrayBuffer()));
      await rename(partial, file);
      return tarball;
    } finally {
      await db.close();
    }
  })();
  return snapshot;
}

/** Names a snapshot after what it holds: the migrations and the PGlite version. */
export async function migrationsHash(): Promise<string> {
  const hash = createHash("sha256");
  const pglite = JSON.parse(await readFile(path.resolve(import.meta.dirname, "../../node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string };
  hash.update(pglite.version);
  for (const entry of (await readdir(MIGRATIONS, { withFileTypes: true, recursive: true })).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)).sort()) {
    hash.update(path.relative(MIGRATIONS, entry)).update(await readFile(entry));
  }
  return hash.digest("hex").slice(0, 16);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function truncateAll(db: Database): Promise<void> {
  const tables = await db.prisma.$queryRaw<{ tablename: string }[]>`
    SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
  if (tables.length === 0) return;
  await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((table) => `"${table.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
}
