// The whole /breakouts generate and publish through the database (used by breakouts.bench.ts):
// a bench population stored as groups, members, channels and facilitator profiles, then six
// sessions generated and published one after another, so each generation reads the growing
// history, runs the assignment and stores 3,000 seats.
import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import type { Population } from "./breakouts.bench.ts";
import { ManualClock } from "../src/clock.ts";
import type { Database } from "../src/db/database.ts";
import { createLogger } from "../src/logger.ts";
import { parseProgramText } from "../src/programs/program-file.ts";
import { createServices } from "../src/services/index.ts";

export interface DatabaseFigures {
  generateMs: number[];
  publishMs: number[];
  rooms: number;
  channelsTold: number;
}

async function store(db: Database, population: Population): Promise<void> {
  const prisma = db.prisma;
  const program = await prisma.program.findFirstOrThrow({ where: { active: true } });
  const groupsById = new Map<string, { locale: string; organization: string | null; country: string | null }>();
  for (const person of population.participants) {
    if (!groupsById.has(person.groupId)) {
      groupsById.set(person.groupId, { locale: person.languages[0]!, organization: person.organization ?? null, country: person.country ?? null });
    }
  }
  const groups = await prisma.group.createManyAndReturn({
    data: [...groupsById].map(([name, group]) => ({ programId: program.id, name, nameKey: name, timezone: "Europe/Berlin", ...group })),
    select: { id: true, name: true },
  });
  const groupRow = new Map(groups.map((group) => [group.name, group.id]));
  await prisma.channel.createMany({ data: groups.map((group) => ({ platform: "bench", platformChannelId: `c${group.id}`, purpose: "group" as const, groupId: group.id })) });
  await prisma.member.createMany({
    data: population.participants.map((person) => ({
      platform: "bench",
      platformUserId: person.id,
      displayName: person.id,
      groupId: groupRow.get(person.groupId)!,
      locale: person.languages[1] ?? null,
    })),
  });
  const leaders = await prisma.member.createManyAndReturn({
    data: population.facilitators.map((facilitator) => ({ platform: "bench", platformUserId: facilitator.id, displayName: facilitator.id, role: "facilitator" as const })),
    select: { id: true, platformUserId: true },
  });
  const byId = new Map(population.facilitators.map((facilitator) => [facilitator.id, facilitator]));
  // One video link per room offered: the rooms of a session run at once, so each needs its own.
  await prisma.facilitatorProfile.createMany({
    data: leaders.map((leader) => {
      const { languages, capacity = 1 } = byId.get(leader.platformUserId)!;
      const meetingUrls = Array.from({ length: capacity }, (_, room) => `https://meet.example.org/${leader.platformUserId}/${room + 1}`);
      return { memberId: leader.id, languages: [...languages], capacity, meetingUrls };
    }),
  });
}

export async function generateThroughDatabase(db: Database, population: Population, sessions = 6): Promise<DatabaseFigures> {
  const clock = new ManualClock("2030-01-01T00:00:00Z", { timers: "real" });
  const { services } = createServices({ db: db.prisma, clock, logger: createLogger("silent"), coordinators: [] });
  const first = DateTime.fromISO("2030-02-05T17:00", { zone: "Europe/Berlin" });
  const starts = Array.from({ length: sessions }, (_, index) => `  - { title: "Session ${index + 1}", start: "${first.plus({ weeks: index }).toFormat("yyyy-MM-dd HH:mm")}" }`);
  const { program } = await services.programs.import(
    parseProgramText(`slug: bench\ntitle: Bench\ntimezone: Europe/Berlin\nregistrationDeadline: "2030-02-01 00:00"\nsessions:\n${starts.join("\n")}\n`),
    { activate: true },
  );
  await store(db, population);
  const actor = await db.prisma.member.create({ data: { platform: "bench", platformUserId: "coordinator", displayName: "coordinator", role: "coordinator" } });
  const figures: DatabaseFigures = { generateMs: [], publishMs: [], rooms: 0, channelsTold: 0 };
  for (let index = 1; index <= sessions; index++) {
    const started = performance.now();
    const proposal = await services.breakouts.generate(program, index, { size: 8, mode: "mix", seed: 1000 + index }, actor);
    figures.generateMs.push(performance.now() - started);
    const publishing = performance.now();
    const outcome = await services.breakouts.publish(program, index, true, actor);
    figures.publishMs.push(performance.now() - publishing);
    figures.rooms = proposal.rooms.length;
    if (outcome.kind === "published") figures.channelsTold = outcome.channels;
  }
  return figures;
}
