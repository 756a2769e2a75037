// Small helpers shared by the benchmarks.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../src/db/database.ts";

/** A program with one session in 2030, for benchmarks that need an active program and nothing more. */
export const ONE_SESSION_PROGRAM = `
slug: bench
title: Bench Program
timezone: Europe/Berlin
defaultLanguage: en
registrationDeadline: "2030-05-12 23:59"
reminders: [24h]
sessions:
  - { title: "First", start: "2030-05-14 17:00", duration: 2h }
`;

/** The PostgreSQL server benchmarks use: DATABASE_URL, else the local one. */
export const BENCH_POSTGRES_URL = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function table(rows: Record<string, string | number>[]): void {
  console.table(rows);
}

/** A fresh schema on the PostgreSQL server, migrated; dropped by the returned close(). */
export async function benchPostgres(poolSize = 10): Promise<Database & { schema: string; reopen(): Promise<Database> }> {
  const schema = `bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.end();
  const db = await openDatabase({ url: BENCH_POSTGRES_URL, schema, poolSize });
  await db.migrate();
  const others: Database[] = [];
  return {
    ...db,
    schema,
    async reopen() {
      const other = await openDatabase({ url: BENCH_POSTGRES_URL, schema, poolSize });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others) await other.close();
      await db.close();
      const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA "${schema}" CASCADE`);
      await client.end();
    },
  };
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}
