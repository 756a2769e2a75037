// Foundation figures: cold start to ready on an empty and on a warm PGlite data directory,
// resident memory after start, and commands per second through the whole pipeline (/whoami)
// on PGlite and on PostgreSQL.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { openDatabase, type Database } from "../src/db/database.ts";
import { createLogger } from "../src/logger.ts";
import pg from "pg";
import { BENCH_POSTGRES_URL, benchPostgres, formatMs, table } from "./support.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Starts the real entry point and reports ms from spawn to the "bot ready" log, and its RSS then. */
async function timeStart(dataDir: string, extraEnv: Record<string, string> = {}): Promise<{ ms: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "--no-console"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info", ...extraEnv },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let buffer = "";
  const ms = await new Promise<number>((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk;
      if (buffer.includes('"msg":"bot ready"')) resolve(performance.now() - started);
    });
    child.on("exit", (code) => reject(new Error(`bot exited (${code}) before ready:\n${buffer}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 500)); // let start-up garbage settle
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  child.removeAllListeners("exit");
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return { ms, rssMb: rssKb / 1024 };
}

async function commandsPerSecond(db: Database, label: string, seconds = 5, concurrency = 8): Promise<Record<string, string | number>> {
  const config = configSchema.parse({ LOG_LEVEL: "silent" });
  const app = await createApp({ config, logger: createLogger("silent"), database: db, seedExample: true, http: false });
  await app.handle({ platform: "console", channelId: "bench", userId: "lead", displayName: "lead", name: "register", text: "Bench Group" });
  for (let user = 0; user < concurrency; user++) {
    await app.handle({ platform: "console", channelId: "bench", userId: `u${user}`, displayName: `u${user}`, name: "join" });
  }
  let count = 0;
  const deadline = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, user) => {
      while (performance.now() < deadline) {
        const start = performance.now();
        const [reply] = await app.handle({ platform: "console", channelId: "bench", userId: `u${user}`, displayName: `u${user}`, name: "whoami" });
        if (!reply) throw new Error("no reply");
        latencies.push(performance.now() - start);
        count++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  await app.stop();
  return {
    database: label,
    concurrency,
    "commands/s": Math.round(count / seconds),
    "p50 ms": latencies[Math.floor(latencies.length / 2)]!.toFixed(2),
    "p99 ms": latencies[Math.floor(latencies.length * 0.99)]!.toFixed(2),
  };
}

/** A throwaway database on the PostgreSQL server (the bot uses its public schema). */
async function scratchDatabase(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const name = `bench_start_${process.pid}`;
  const admin = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    console.log(`PostgreSQL start-up skipped: ${(error as Error).message}`);
    await admin.end().catch(() => {});
    return undefined;
  }
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

export async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bench-start-"));
  try {
    const cold = await timeStart(dataDir);
    const warm = [await timeStart(dataDir), await timeStart(dataDir), await timeStart(dataDir)];
    warm.sort((a, b) => a.ms - b.ms);
    const median = warm[1]!;
    const rows = [
      { start: "cold (empty PGlite: create, migrate, seed example)", "to ready": formatMs(cold.ms), "RSS after start": `${cold.rssMb.toFixed(0)} MB` },
      { start: "warm (existing PGlite, median of 3)", "to ready": formatMs(median.ms), "RSS after start": `${median.rssMb.toFixed(0)} MB` },
    ];
    const database = await scratchDatabase();
    if (database) {
      try {
        const pgCold = await timeStart(dataDir, { DATABASE_URL: database.url });
        const pgWarm = await timeStart(dataDir, { DATABASE_URL: database.url });
        rows.push(
          { start: "cold (empty PostgreSQL database: migrate, seed example)", "to ready": formatMs(pgCold.ms), "RSS after start": `${pgCold.rssMb.toFixed(0)} MB` },
          { start: "warm (PostgreSQL)", "to ready": formatMs(pgWarm.ms), "RSS after start": `${pgWarm.rssMb.toFixed(0)} MB` },
        );
      } finally {
        await database.drop();
      }
    }
    table(rows);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const rows = [await commandsPerSecond(await openDatabase({ dataDir: "memory" }).then(async (db) => (await db.migrate(), db)), "PGlite (in process)")];
  try {
    rows.push(await commandsPerSecond(await benchPostgres(), "PostgreSQL (local server)"));
  } catch (error) {
    console.log(`PostgreSQL skipped: ${(error as Error).message}`);
  }
  table(rows);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
