// Databases for tests: in-memory PGlite always, and the PostgreSQL server named by DATABASE_URL
// when it is set (CI sets it). Each PostgreSQL test database is a fresh schema, dropped after,
// so test files run in parallel without seeing each other's rows.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/database.ts";

export type Backend = "pglite" | "postgres";

/** The backends the storage suites run against here. */
export const backends: Backend[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestDatabase extends Database {
  /** Empties every table (keeps the migrations), so one database serves a whole test file. */
  reset(): Promise<void>;
  /** For PostgreSQL: open another, independent connection pool to the same schema (a second process). */
  reopen(): Promise<Database>;
}

export async function openTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "pglite") {
    const db = await openDatabase({ dataDir: "memory" });
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
