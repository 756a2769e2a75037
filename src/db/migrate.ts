// Applies prisma/migrations/*/migration.sql in order and records each in _prisma_migrations
// exactly as `prisma migrate deploy` does (same table, same sha256 checksum), so either tool
// can take over from the other.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prisma/migrations");

/** The little a migrator needs from a connection; one per database kind (src/db/database.ts). */
export interface SqlConnection {
  exec(sql: string): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  withLock<T>(work: () => Promise<T>): Promise<T>;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(directory = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(directory, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(directory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export async function applyMigrations(connection: SqlConnection, migrations = readMigrations()): Promise<MigrationReport> {
  return connection.withLock(async () => {
    await connection.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await connection.query(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const recorded = new Map(rows.map((row) => [String(row.migration_name), row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const row = recorded.get(migration.name);
      if (row) {
        if (row.finished_at === null) {
          throw new MigrationError(
            `Migration ${migration.name} started earlier but did not finish. Inspect the database, then mark it ` +
              "rolled back (prisma migrate resolve --rolled-back) before starting again.",
          );
        }
        continue;
      }
      const id = randomUUID();
      await connection.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
        [id, migration.checksum, migration.name],
      );
      try {
        // One transaction per migration: a failure leaves the database as it was before it.
        await connection.exec(`BEGIN;\n${migration.sql}\n;COMMIT;`);
      } catch (error) {
        await connection.exec("ROLLBACK").catch(() => {});
        // The transaction left nothing behind, so the attempt is recorded as rolled back and the
        // next start retries it once the cause is fixed (prisma migrate deploy reads it the same way).
        await connection.query(`UPDATE "_prisma_migrations" SET logs = $2, rolled_back_at = now() WHERE id = $1`, [
          id,
          String(error),
        ]);
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await connection.query(
        `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
        [id],
      );
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: migrations.length - applied.length };
  });
}
