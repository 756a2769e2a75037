// The whole bot serving its dashboard on a free port, with a training in progress (groups on three
// platforms, homework, breakouts, a facilitator), and Debian's Chromium driven by playwright-core
// (which downloads nothing). Commands go through the real pipeline, as a chat would send them.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { createApp, type App } from "../../src/app.ts";
import { ManualClock } from "../../src/clock.ts";
import { configSchema } from "../../src/config.ts";
import type { IncomingCommand } from "../../src/core/incoming.ts";
import { renderPlain } from "../../src/core/messages.ts";
import { createLogger } from "../../src/logger.ts";
import { parseProgramText } from "../../src/programs/program-file.ts";
import { openTestDatabase, type TestDatabase } from "../helpers/database.ts";

export const SCREENSHOTS = path.resolve("test-output/dashboard");

const PROGRAM = `
slug: spring-2030
title: Organizing for Power, Spring 2030
timezone: Europe/Berlin
defaultLanguage: en
registrationDeadline: "2030-05-05 23:59"
reminders: [24h]
sessions:
  - { title: "Structure tests", start: "2030-05-07 17:00", duration: 2h }
  - { title: "One-on-ones", start: "2030-05-14 17:00", duration: 2h }
  - { title: "Power mapping", start: "2030-05-21 17:00", duration: 2h }
  - { title: "Strike readiness", start: "2030-05-28 17:00", duration: 2h }
`;

/** Groups as registered: [name, platform, language, zone, country, members]. */
export const GROUPS = [
  ["Berlin Tenants Union", "telegram", "de", "Europe/Berlin", "Germany", 14],
  ["Hamburg Care Workers", "slack", "de", "Europe/Berlin", "Germany", 9],
  ["Sindicato de Inquilinas Madrid", "telegram", "es", "Europe/Madrid", "Spain", 21],
  ["Trabajadoras del Hogar CDMX", "discord", "es", "America/Mexico_City", "Mexico", 12],
  ["Metalúrgicos do ABC", "telegram", "pt", "America/Sao_Paulo", "Brazil", 17],
  ["Collectif Logement Lyon", "slack", "fr", "Europe/Paris", "France", 8],
  ["Rider Milano", "discord", "it", "Europe/Rome", "Italy", 11],
  ["Seoul Platform Workers", "slack", "ko", "Asia/Seoul", "South Korea", 10],
  ["Chicago Teachers Caucus", "discord", "en", "America/Chicago", "United States", 19],
  ["Lagos Transport Workers", "telegram", "en", "Africa/Lagos", "Nigeria", 15],
  ["Manila Call Centre Organizers", "slack", "en", "Asia/Manila", "Philippines", 7],
  ["<script>alert(1)</script>", "telegram", "en", "Europe/London", "United Kingdom", 5],
] as const;

export interface Harness {
  app: App;
  db: TestDatabase;
  clock: ManualClock;
  base: string;
  /** Chromium, started on first use (one per test file). */
  browser(): Promise<Browser>;
  /** Sends a command as `user` (in a private chat unless `channel` is given); the replies as plain text. */
  say(user: string, line: string, extra?: Partial<IncomingCommand>): Promise<string>;
  /** A fresh sign-in link from /dashboard, as `user` gets it. */
  link(user: string, extra?: Partial<IncomingCommand>): Promise<string>;
  /** A new browser tab of the given size, signed in with a fresh link of `user`. */
  signedIn(user: string, viewport?: { width: number; height: number }, extra?: Partial<IncomingCommand>): Promise<Page>;
  close(): Promise<void>;
}

export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Where Debian's Chromium is (`CHROMIUM_PATH` overrides), or undefined when it is not installed. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function chromiumPath(): string {
  const found = findChromium();
  if (!found) throw new Error("Chromium is not installed: apt-get install -y chromium (or set CHROMIUM_PATH)");
  return found;
}

export async function startDashboard(): Promise<Harness> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const db = await openTestDatabase("pglite");
  const clock = new ManualClock("2030-05-16T08:00:00Z");
  const config = configSchema.parse({ COORDINATORS: "console:coordinator", LOG_LEVEL: "silent", PORT: "0" });
  const app = await createApp({ config, logger: createLogger("silent"), clock, database: db, seedExample: false, background: false });
  await app.start([]);
  await app.services.programs.import(parseProgramText(PROGRAM), { activate: true });
  const base = `http://localhost:${app.http.port}`;
  const say: Harness["say"] = async (user, line, extra = {}) => {
    const match = /^\/(\S+)\s*([\s\S]*)$/.exec(line)!;
    const replies = await app.handle({ platform: "console", channelId: `dm-${user}`, userId: user, displayName: user, name: match[1]!, text: match[2]!, isPrivateChat: true, ...extra });
    return replies.map(renderPlain).join("\n");
  };
  await seed(app, say);
  let launched: Promise<Browser> | undefined;
  const browser = () =>
    (launched ??= chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] }));
  const link: Harness["link"] = async (user, extra) => {
    const reply = await say(user, "/dashboard", extra);
    const url = /(http:\/\/\S+\/dashboard\/signin\?token=[\w-]+)/.exec(reply)?.[1];
    if (!url) throw new Error(`no link in: ${reply}`);
    return url;
  };
  return {
    app,
    db,
    clock,
    base,
    browser,
    say,
    link,
    async signedIn(user, viewport = LAPTOP, extra) {
      const page = await (await browser()).newPage({ viewport });
      await page.goto(await link(user, extra));
      await page.getByRole("button").click();
      await page.waitForURL(`${base}/dashboard`);
      return page;
    },
    async close() {
      if (launched) await (await launched).close();
      await app.stop();
    },
  };
}

/** A training in its third week: registered groups, two sessions of homework, breakouts for the next. */
async function seed(app: App, say: Harness["say"]): Promise<void> {
  const prisma = app.db.prisma;
  const program = (await prisma.program.findFirst({ where: { active: true } }))!;
  await say("coordinator", "/assignment set 1 Map your workplace: who talks to whom?");
  await say("coordinator", "/assignment set 2 Hold three one-on-ones and note what you heard.");
  const sessions = await prisma.session.findMany({ where: { programId: program.id }, include: { homework: true }, orderBy: { index: "asc" } });
  let person = 0;
  for (const [index, [name, platform, locale, timezone, country, size]] of GROUPS.entries()) {
    const group = await prisma.group.create({
      data: { programId: program.id, name, nameKey: name.toLowerCase(), locale, timezone, country, organization: index % 3 === 0 ? "Network of Organizers" : null },
    });
    await prisma.channel.create({
      data: {
        platform,
        platformChannelId: `group-${index}`,
        purpose: "group",
        groupId: group.id,
        ...(index === 6 ? { unreachableAt: new Date("2030-05-10T12:00:00Z"), unreachableReason: "bot was removed from the chat" } : {}),
      },
    });
    const members = await prisma.member.createManyAndReturn({
      data: Array.from({ length: size }, (_, seat) => ({
        platform,
        platformUserId: `p${(person += 1)}`,
        displayName: seat === 0 ? `Lead ${name.split(" ")[0]}` : `Person ${person}`,
        locale,
        groupId: group.id,
        isLead: seat === 0,
      })),
    });
    // Homework: fewer groups keep up as the weeks go by, some hand in late.
    for (const [sessionIndex, session] of sessions.slice(0, 2).entries()) {
      const share = [0.85, 0.6][sessionIndex]! - (index % 4) * 0.1;
      const submitters = members.slice(0, Math.round(members.length * share));
      await prisma.homeworkSubmission.createMany({
        data: submitters.map((member, order) => ({
          assignmentId: session.homework!.id,
          groupId: group.id,
          memberId: member.id,
          text: "Notes from our mapping",
          submittedAt: new Date(session.startsAt.getTime() + 86_400_000 * (order % 8)),
          late: order % 5 === 4,
        })),
      });
    }
  }
  // A facilitator who looks after two groups and leads rooms in German and English.
  await say("fatima", "/whoami");
  await say("coordinator", "/grant fatima facilitator");
  await say("coordinator", `/facilitate fatima ${GROUPS[0][0]}`);
  await say("coordinator", `/facilitate fatima ${GROUPS[1][0]}`);
  await say("fatima", "/facilitator languages de en rooms=2");
  await say("fatima", "/facilitator link https://meet.example.org/fatima-1 https://meet.example.org/fatima-2");
  for (const [user, languages] of [["diego", "es pt"], ["amelie", "fr it en"], ["jiwoo", "ko en"], ["sam", "en de"]] as const) {
    await say(user, "/whoami");
    await say("coordinator", `/grant ${user} facilitator`);
    await say(user, `/facilitator languages ${languages} rooms=3`);
    await say(user, `/facilitator link https://meet.example.org/${user}-1 https://meet.example.org/${user}-2 https://meet.example.org/${user}-3`);
  }
  await say("coordinator", "/breakouts generate 3");
  await say("coordinator", "/breakouts publish 3 confirm=yes");
}
