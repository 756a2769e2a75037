// The bot's own migrator: everything in prisma/migrations applied once, recorded as Prisma's
// `migrate deploy` records it, and safe when several processes start at the same time.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PGlite } from "@electric-sql/pglite";
import { applyMigrations, MIGRATIONS_DIR, readMigrations, type SqlConnection } from "../../src/db/migrate.ts";
import { backends, openTestDatabase } from "../helpers/database.ts";

/** The migrator's view of a bare PGlite, without the app's database layer. */
function connectionTo(pglite: PGlite): SqlConnection {
  return {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async (sql, params = []) => (await pglite.query<Record<string, unknown>>(sql, params)).rows,
    withLock: (work) => work(),
  };
}

describe.each(backends)("migrations on %s", (backend) => {
  it("applies every migration once and records it with Prisma's checksum", async () => {
    const db = await openTestDatabase(backend);
    try {
      const again = await db.migrate();
      expect(again.applied).toEqual([]);
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }[]>(
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
      );
      const files = readMigrations();
      expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
      for (const row of rows) {
        const sql = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
        expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.applied_steps_count).toBe(1);
      }
    } finally {
      await db.close();
    }
  });
});

describe.runIf(backends.includes("postgres"))("migrations with several processes on PostgreSQL", () => {
  it("applies each migration exactly once when processes start together", async () => {
    const db = await openTestDatabase("postgres");
    try {
      // Empty the schema again, then let four independent pools migrate at once.
      await db.prisma.$executeRawUnsafe(`DO $$ DECLARE r record; BEGIN
        FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP EXECUTE 'DROP TABLE "' || r.tablename || '" CASCADE'; END LOOP;
        FOR r IN SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() AND t.typtype = 'e' LOOP EXECUTE 'DROP TYPE "' || r.typname || '"'; END LOOP;
      END $$`);
      const others = await Promise.all([db.reopen(), db.reopen(), db.reopen(), db.reopen()]);
      const reports = await Promise.all(others.map((other) => other.migrate()));
      const applied = reports.flatMap((report) => report.applied);
      expect(applied.sort()).toEqual(readMigrations().map((file) => file.name));
      const count = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "_prisma_migrations"`);
      expect(Number(count[0]!.n)).toBe(readMigrations().length);
    } finally {
      await db.close();
    }
  });
});

describe("upgrading a bot that has deliveries waiting", () => {
  it("gives each waiting delivery its channel's platform", async () => {
    const pglite = new PGlite();
    try {
      const connection = connectionTo(pglite);
      const all = readMigrations();
      const upgrade = all.findIndex((file) => file.name.endsWith("_delivery_platform"));
      await applyMigrations(connection, all.slice(0, upgrade));
      await pglite.exec(`
        INSERT INTO "Channel" (platform, "platformChannelId", purpose) VALUES ('telegram', '-100', 'group'), ('slack', 'C1', 'group');
        INSERT INTO "Delivery" (kind, "dedupeKey", "channelId", "notBefore", "nextAttemptAt")
          SELECT 'announcement', 'announcement:1:' || id, id, now(), now() FROM "Channel";`);
      expect((await applyMigrations(connection, all)).applied).toEqual(all.slice(upgrade).map((file) => file.name));
      const rows = await connection.query(`SELECT d."dedupeKey", d.platform FROM "Delivery" d ORDER BY d.id`);
      expect(rows).toEqual([
        { dedupeKey: "announcement:1:1", platform: "telegram" },
        { dedupeKey: "announcement:1:2", platform: "slack" },
      ]);
    } finally {
      await pglite.close();
    }
  });
});

describe("a failing migration", () => {
  it("leaves nothing behind and is retried on the next start", async () => {
    const pglite = new PGlite();
    try {
      const connection = connectionTo(pglite);
      const broken = [{ name: "29990101000000_broken", sql: `CREATE TABLE "Half" (id int); SELECT no_such_function();`, checksum: "x".repeat(64) }];
      await expect(applyMigrations(connection, broken)).rejects.toThrow(/29990101000000_broken failed/);
      expect((await connection.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'Half'`))[0]).toEqual({ n: 0 });
      const fixed = [{ ...broken[0]!, sql: `CREATE TABLE "Half" (id int);` }];
      expect((await applyMigrations(connection, fixed)).applied).toEqual(["29990101000000_broken"]);
      expect((await applyMigrations(connection, fixed)).applied).toEqual([]);
    } finally {
      await pglite.close();
    }
  });
});
