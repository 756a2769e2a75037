// `npm run cli -- <command>`: administration from the shell, against the same database the bot
// uses (DATABASE_URL or DATA_DIR). With the embedded database, stop the bot first: one process
// owns a data directory.
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { reportLines, summaryLine, watchReport } from "./announcements/cli-report.ts";
import { AnnouncementReports } from "./announcements/reports.ts";
import { systemClock } from "./clock.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { ProgramFileError, readProgramFile } from "./programs/program-file.ts";
import { importProgramFile } from "./programs/import-flow.ts";
import { ProgramService } from "./services/programs.ts";
import { createServices } from "./services/index.ts";
import { createLogger } from "./logger.ts";
import { participationCsv } from "./participation/csv.ts";
import { ParticipationReports } from "./participation/report.ts";
import { instantToWallClock } from "./time/instants.ts";

const USAGE = `Usage: npm run cli -- <command>

  import <file> [--activate] [--yes] [--allow-past]
                               load or update a program from a YAML or JSON file
                               (the first program loaded becomes the active one). Over the
                               active program it shows what changes and needs --yes; moving
                               sessions still ahead into the past also needs --allow-past
  programs                     list the programs and their sessions
  announcements                list the announcements, newest first, and how far each got
  announcement status [id] [--watch]
                               one announcement's delivery report (default: the latest);
                               --watch redraws it with progress bars until it is done
  participation --csv [--session N]
                               attendance, punctuality and homework per group and
                               session, as CSV on stdout (every group of the active program)
  purge                        deletes the personal data of programs whose privacy.deleteAfter
                               has passed (the bot also does it daily); safe to repeat
`;

type CliCommand = (db: Database, args: string[], flags: Record<string, unknown>) => Promise<void>;

const commands: Record<string, CliCommand> = {
  async purge(db) {
    const config = loadConfig();
    const { services } = createServices({ db: db.prisma, clock: systemClock, logger: createLogger("warn"), coordinators: config.COORDINATORS });
    const outcomes = await services.privacy.purgeExpired();
    if (outcomes.length === 0) console.log("Nothing to delete: no program with privacy.deleteAfter has been over for that long.");
    for (const outcome of outcomes) {
      console.log(`“${outcome.program}” (ended ${outcome.ended.toISOString().slice(0, 10)}): deleted the personal data of ${outcome.people} ${outcome.people === 1 ? "person" : "people"}.`);
    }
  },
  async participation(db, _args, flags) {
    if (!flags.csv) throw new UsageError("participation prints CSV: add --csv");
    const program = await new ProgramService(db.prisma).active();
    if (!program) throw new NotFoundError("No active program: import one first.");
    const index = flags.session === undefined ? undefined : Number(flags.session);
    if (index !== undefined && !(Number.isInteger(index) && index >= 1)) throw new UsageError(`not a session number: ${String(flags.session)}`);
    const reports = new ParticipationReports(db.prisma);
    const groups = await db.prisma.group.findMany({ where: { programId: program.id, status: "active" }, orderBy: { name: "asc" } });
    const report = await reports.report(program, groups, await reports.sessions(program, systemClock.now(), index));
    process.stdout.write(participationCsv(report));
  },
  async import(db, [file], flags) {
    if (!file) throw new UsageError("import needs a file");
    const program = readProgramFile(file);
    const config = loadConfig();
    const { services } = createServices({ db: db.prisma, clock: systemClock, logger: createLogger("warn"), coordinators: config.COORDINATORS });
    const outcome = await importProgramFile(services, systemClock.now(), program, {
      activate: Boolean(flags.activate),
      yes: Boolean(flags.yes),
      allowPast: Boolean(flags["allow-past"]),
    });
    if (!outcome.applied) throw new NotAppliedError(outcome.lines.join("\n"));
    console.log(outcome.lines.join("\n"));
  },
  async programs(db) {
    const service = new ProgramService(db.prisma);
    const programs = await db.prisma.program.findMany({ orderBy: { id: "asc" } });
    if (programs.length === 0) console.log("No programs loaded.");
    for (const program of programs) {
      console.log(`${program.active ? "*" : " "} ${program.slug}: ${program.title} (${program.timezone}), registration until ${instantToWallClock(program.registrationDeadline, program.timezone)}`);
      for (const session of await service.sessions(program.id)) {
        console.log(`    ${session.index}. ${instantToWallClock(session.startsAt, program.timezone)}  ${session.title}`);
      }
    }
  },
  async announcements(db) {
    const summaries = await new AnnouncementReports(db.prisma, systemClock).list();
    if (summaries.length === 0) console.log("No announcements yet.");
    for (const summary of summaries) console.log(summaryLine(summary));
  },
  async announcement(db, [subcommand, id], flags) {
    if (subcommand !== "status") throw new UsageError("announcement needs a subcommand: status");
    if (id !== undefined && !/^[1-9]\d{0,9}$/.test(id)) throw new UsageError(`not an announcement number: ${id}`);
    const reports = new AnnouncementReports(db.prisma, systemClock);
    const find = async () => {
      const announcement = id === undefined ? await reports.latest() : await reports.find(Number(id));
      if (!announcement) throw new NotFoundError(id === undefined ? "No announcement has been confirmed yet." : `There is no announcement #${id}.`);
      return reports.report(announcement);
    };
    if (!flags.watch) {
      console.log(reportLines(await find()).join("\n"));
      return;
    }
    await watchReport({
      load: find,
      write: (text) => process.stdout.write(text),
      interactive: Boolean(process.stdout.isTTY),
      wait: () => sleep(1_000),
    });
  },
};

class UsageError extends Error {}
/** What was asked for does not exist: said plainly, without the usage text. */
class NotFoundError extends Error {}
/** A change that needs confirming (or was refused): what it would do, and nothing done. */
class NotAppliedError extends Error {}

async function run(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { activate: { type: "boolean" }, yes: { type: "boolean" }, "allow-past": { type: "boolean" }, watch: { type: "boolean" }, csv: { type: "boolean" }, session: { type: "string" }, help: { type: "boolean", short: "h" } } });
  const [name, ...args] = positionals;
  const command = name ? commands[name] : undefined;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await db.migrate();
    await command(db, args, values);
    return 0;
  } finally {
    await db.close();
  }
}

run().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof ConfigError || error instanceof ProgramFileError || error instanceof UsageError || error instanceof NotFoundError || error instanceof NotAppliedError) {
      process.stderr.write(`${error.message}\n`);
      if (error instanceof UsageError) process.stderr.write(USAGE);
    } else {
      process.stderr.write(`Failed: ${(error as Error).message}\n`);
    }
    process.exit(1);
  },
);
