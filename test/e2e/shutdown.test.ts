// SIGTERM in the middle of a broadcast, with the real program (`npm start`'s entry) sending to the
// Telegram fake at Telegram's pace: the process stops taking commands, hands back the messages it
// had claimed but not sent, closes the database and exits cleanly (code 0: before its 10-second
// deadline, which exits with 1). Then another process sends the rest: every chat gets the
// announcement exactly once. On the embedded database (one process after the other on its data
// directory) and, with DATABASE_URL, on PostgreSQL.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.ts";
import { parseProgramText } from "../../src/programs/program-file.ts";
import { ProgramService } from "../../src/services/programs.ts";
import { startTelegramFake, type TelegramFake } from "../fakes/telegram/server.ts";
import { startBotProcess } from "../helpers/bot-process.ts";
import { backends } from "../helpers/database.ts";
import { TEST_PROGRAM } from "../helpers/bot.ts";
import { seedDataDir } from "../helpers/data-dir.ts";

// Five seconds of sending at Telegram's 30 a second: long enough to stop it in the middle.
const CHATS = 150;

describe.each(backends)("SIGTERM mid-broadcast on %s", (backend) => {
  let telegram: TelegramFake;
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-shutdown-"));
  beforeAll(() => seedDataDir(dataDir));
  const schema = `shutdown_${randomBytes(5).toString("hex")}`;
  const databaseEnv: Record<string, string> =
    backend === "postgres"
      ? { DATABASE_URL: `${process.env.DATABASE_URL}${process.env.DATABASE_URL!.includes("?") ? "&" : "?"}schema=${schema}` }
      : { DATA_DIR: dataDir };
  const open = (): Promise<Database> => openDatabase(backend === "postgres" ? { url: databaseEnv.DATABASE_URL } : { dataDir });

  beforeAll(async () => {
    telegram = await startTelegramFake();
    if (backend === "postgres") await admin((client) => client.query(`CREATE SCHEMA "${schema}"`));
    const db = await open();
    try {
      await db.migrate();
      const { program } = await new ProgramService(db.prisma).import(parseProgramText(TEST_PROGRAM), { activate: true });
      const chats = Array.from({ length: CHATS }, (_, index) => -1_001_500_000_000 - index);
      for (const id of chats) telegram.addChat({ id, type: "supergroup", title: `Group ${id}` });
      await db.prisma.group.createMany({ data: chats.map((id) => ({ programId: program.id, name: `Group ${id}`, nameKey: `group ${id}`, locale: "en", timezone: "Europe/Berlin" })) });
      const groups = await db.prisma.group.findMany({ select: { id: true, name: true } });
      await db.prisma.channel.createMany({ data: groups.map((group) => ({ platform: "telegram", platformChannelId: group.name.slice("Group ".length), purpose: "group" as const, groupId: group.id })) });
    } finally {
      await db.close();
    }
  });
  afterAll(async () => {
    await telegram.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (backend === "postgres") await admin((client) => client.query(`DROP SCHEMA "${schema}" CASCADE`));
  });

  it("hands back what it claimed, exits cleanly, and another process sends the rest, each once", async () => {
    const env = { ...databaseEnv, COORDINATORS: "console:ana", TICK_SECONDS: "1", TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot };
    const first = startBotProcess(env, ["--console", "--as", "ana", "--channel", "hq"]);
    try {
      await first.waitForOutput(/Type \/help to start/, 60_000);
      first.type("/announce The strike vote is on Thursday");
      first.type("/announce send");
      await first.waitForOutput(/Announcement #1 is confirmed/);
      await expect.poll(() => telegram.messages.length, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(40);
    } finally {
      expect(await first.stop("SIGTERM")).toBe(0);
    }
    expect(first.logs().map((entry) => entry.msg)).toEqual(expect.arrayContaining(["shutting down", "bot stopped"]));
    expect(first.logs().some((entry) => entry.msg === "shutdown took too long: exiting now")).toBe(false);
    const sentByFirst = telegram.messages.length;
    expect(sentByFirst).toBeLessThan(CHATS); // it was stopped mid-broadcast

    const db = await open();
    try {
      const statuses = await db.prisma.delivery.groupBy({ by: ["status"], _count: true });
      // Nothing left claimed by the stopped process; what it sent is recorded as sent, the rest waits.
      expect(Object.fromEntries(statuses.map((row) => [row.status, row._count]))).toEqual({ sent: sentByFirst, pending: CHATS - sentByFirst });
    } finally {
      await db.close();
    }

    const second = startBotProcess(env, ["--no-console"]);
    try {
      await expect.poll(() => new Set(telegram.messages.map((sent) => sent.chatId)).size, { timeout: 60_000, interval: 200 }).toBe(CHATS);
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // a second copy would show by now
      expect(telegram.messages).toHaveLength(CHATS);
      expect(telegram.messages.every((sent) => sent.text?.includes("The strike vote is on Thursday"))).toBe(true);
    } finally {
      expect(await second.stop("SIGTERM")).toBe(0);
    }
  }, 180_000);
});

async function admin(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
