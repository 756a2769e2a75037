// Opens the one SQL database the bot uses: embedded PGlite under DATA_DIR by default, or a
// PostgreSQL server when DATABASE_URL is set. Both go through Prisma's driver adapters, so
// every query, migration and lock is the same PostgreSQL dialect on either path.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaClient } from "../generated/prisma/client.ts";
import { acquireDirectoryLock } from "./directory-lock.ts";
import { applyMigrations, type MigrationReport, type SqlConnection } from "./migrate.ts";

export type { PrismaClient };

export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: "pglite" | "postgres";
  /** Where the data lives, safe to log (no password). */
  readonly location: string;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<MigrationReport>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** PGlite only: the data directory as a tarball (see OpenOptions.pgliteSnapshot). */
  dumpDataDir?(): Promise<Blob>;
}

export interface OpenOptions {
  /** A postgres:// URL; when absent the embedded database is used. */
  url?: string;
  /** Directory for the embedded database; "memory" keeps it in memory (tests). */
  dataDir?: string;
  /** PostgreSQL schema to use instead of "public" (tests isolate themselves this way). */
  schema?: string;
  /** Connections in the pool (PostgreSQL only). */
  poolSize?: number;
  /**
   * An in-memory database starts as a copy of this data directory (a PGlite dumpDataDir tarball)
   * instead of running initdb: tests start from one migrated snapshot in a fraction of the time.
   */
  pgliteSnapshot?: Blob;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (!options.url) return openPglite(options.dataDir ?? "./data", options.pgliteSnapshot);
  // Prisma's convention: ?schema=name in the URL picks the schema (several bots, one database).
  const url = new URL(options.url);
  const schema = options.schema ?? url.searchParams.get("schema") ?? undefined;
  url.searchParams.delete("schema");
  return openPostgres(url.toString(), { ...options, schema });
}

// Each driver is imported only when used: the PGlite engine alone costs tens of MB of memory.
async function openPglite(dataDir: string, snapshot?: Blob): Promise<Database> {
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import("@electric-sql/pglite"), import("pglite-prisma-adapter")]);
  const inMemory = dataDir === "memory";
  const directory = inMemory ? undefined : path.resolve(dataDir, "pglite");
  let releaseLock = () => {};
  if (directory) {
    mkdirSync(directory, { recursive: true });
    releaseLock = acquireDirectoryLock(path.resolve(dataDir));
  }
  try {
    const client = directory ? new PGlite(directory) : new PGlite(snapshot ? { loadDataDir: snapshot } : {});
    await client.waitReady;
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
    const connection: SqlConnection = {
      exec: async (sql) => void (await client.exec(sql)),
      query: async (sql, params) => (await client.query(sql, params as unknown[])).rows as Record<string, unknown>[],
      // One process owns the directory (see the lock above), so there is nothing to race.
      withLock: (work) => work(),
    };
    let closed = false;
    return {
      prisma,
      kind: "pglite",
      location: directory ?? "memory",
      dumpDataDir: async () => client.dumpDataDir("none"),
      migrate: () => applyMigrations(connection),
      ping: () => ping(prisma),
      async close() {
        if (closed) return;
        closed = true;
        await prisma.$disconnect();
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function openPostgres(url: string, options: OpenOptions): Promise<Database> {
  const [{ default: pg }, { PrismaPg }] = await Promise.all([import("pg"), import("@prisma/adapter-pg")]);
  const schema = options.schema;
  const searchPath = schema ? { options: `-c search_path="${schema.replaceAll('"', "")}"` } : {};
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, ...searchPath });
  pool.on("error", () => {
    // An idle client died (server restart); the pool replaces it. Queries report their own errors.
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) });
  let closed = false;
  return {
    prisma,
    kind: "postgres",
    location: redactUrl(url) + (schema ? ` (schema ${schema})` : ""),
    async migrate() {
      const client = await pool.connect();
      try {
        if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', "")}"`);
        const connection: SqlConnection = {
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
          async withLock(work) {
            // A session-level advisory lock: two processes starting at once apply each migration once.
            await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
            try {
              return await work();
            } finally {
              await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
            }
          },
        };
        return await applyMigrations(connection);
      } finally {
        client.release();
      }
    },
    ping: () => ping(prisma),
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** Any fixed number works; it only has to be the same in every process of this bot. */
const MIGRATION_LOCK_KEY = 4_207_310_962;

/** Past this, the database counts as unreachable: /healthz must answer, not wait for a dead server. */
const PING_TIMEOUT_MS = 2_000;

async function ping(prisma: PrismaClient): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
  try {
    return await Promise.race([prisma.$queryRaw`SELECT 1`.then(() => true), timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparseable URL)";
  }
}
