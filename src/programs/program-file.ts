// The program file (YAML or JSON) a coordinator loads: title, timezone, registration deadline,
// reminder offsets and sessions as wall-clock times in the program's timezone. Validated by zod;
// errors name the field and, for YAML, the line.
import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { assignmentTextsSchema, homeworkSettingsSchema } from "../homework/program-settings.ts";
import { breakoutSettingsSchema } from "../breakouts/program-settings.ts";
import { privacySettingsSchema } from "../privacy/program-settings.ts";
import { participationSettingsSchema } from "../participation/program-settings.ts";
import { SUPPORTED_LOCALES } from "../i18n/i18n.ts";
import { parseDuration } from "../time/durations.ts";
import { isValidTimezone } from "../time/zones.ts";

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/;

const localDateTime = z
  .string()
  .regex(LOCAL_DATE_TIME, 'must be a local date and time like "2021-05-18 17:00" (in the program\'s timezone)');

const duration = z
  .union([z.string(), z.number()])
  .transform((value, ctx) => {
    const minutes = parseDuration(value);
    if (minutes === undefined) {
      ctx.addIssue({ code: "custom", message: 'must be a duration like "2h", "90m" or "1h30m"' });
      return z.NEVER;
    }
    return minutes;
  });

export const programFileSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "must be lower-case letters, digits and hyphens"),
    title: z.string().trim().min(1).max(200),
    timezone: z.string().refine(isValidTimezone, "is not a known IANA time zone (e.g. Europe/Berlin)"),
    defaultLanguage: z.enum(SUPPORTED_LOCALES).default("en"),
    registrationDeadline: localDateTime,
    joinUrl: z.url().optional(),
    /** Reminder offsets before each session; default 24 hours and 1 hour. */
    reminders: z.array(duration).max(10).prefault(["24h", "1h"]),
    /** Homework nudges and the last assignment's due time (src/homework/program-settings.ts). */
    homework: homeworkSettingsSchema.optional(),
    sessions: z
      .array(
        z.object({
          title: z.string().trim().min(1).max(200),
          start: localDateTime,
          duration: duration.prefault("2h"),
          /** The assignment given at this session, per language. */
          homework: assignmentTextsSchema.optional(),
        }).passthrough(),
      )
      .min(1)
      .max(100),
    /** Breakout defaults and facilitators (src/breakouts/program-settings.ts). */
    breakouts: breakoutSettingsSchema.optional(),
    /** Whether submissions outlive a person's deletion, and when participants' data goes (src/privacy/program-settings.ts). */
    privacy: privacySettingsSchema.optional(),
    /** Check-in window, thresholds, supermajority and follow-up (src/participation/program-settings.ts). */
    participation: participationSettingsSchema.optional(),
  })
  .passthrough();

export type ProgramFile = z.infer<typeof programFileSchema>;

export class ProgramFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: { where: string; message: string }[],
  ) {
    super(`${source} is not a valid program file:\n` + problems.map((problem) => `  ${problem.where}: ${problem.message}`).join("\n"));
    this.name = "ProgramFileError";
  }
}

export function readProgramFile(file: string): ProgramFile {
  return parseProgramText(readFileSync(file, "utf8"), file);
}

/** Parses YAML (JSON is YAML too) and validates it; errors carry the field path and line. */
export function parseProgramText(text: string, source = "program file"): ProgramFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ProgramFileError(
      source,
      document.errors.map((error) => ({ where: `line ${lineCounter.linePos(error.pos[0]).line}`, message: error.message.split("\n")[0]! })),
    );
  }
  const result = programFileSchema.safeParse(document.toJS());
  if (!result.success) {
    throw new ProgramFileError(
      source,
      result.error.issues.map((issue) => ({ where: describePath(document, lineCounter, issue.path), message: issue.message })),
    );
  }
  const problems = checkSessions(result.data);
  if (problems.length > 0) throw new ProgramFileError(source, problems);
  return result.data;
}

function describePath(document: Document, lineCounter: LineCounter, path: PropertyKey[]): string {
  const field = path.length ? path.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("").replace(/^\./, "") : "(top level)";
  let node: unknown = document.getIn(path as unknown[], true);
  // A missing field: point at its parent.
  for (let depth = path.length - 1; !node && depth >= 0; depth--) node = document.getIn(path.slice(0, depth) as unknown[], true);
  const range = (node as { range?: [number, number, number] } | undefined)?.range ?? (isMap(document.contents) ? document.contents.range : undefined);
  return range ? `${field} (line ${lineCounter.linePos(range[0]).line})` : field;
}

/** Wall-clock times that don't exist (skipped by a DST change) and sessions out of order. */
function checkSessions(program: ProgramFile): { where: string; message: string }[] {
  const problems: { where: string; message: string }[] = [];
  let previous: DateTime | undefined;
  program.sessions.forEach((session, index) => {
    const instant = DateTime.fromISO(session.start.replace(" ", "T"), { zone: program.timezone });
    if (!instant.isValid || instant.toFormat("yyyy-MM-dd HH:mm") !== session.start.replace("T", " ")) {
      problems.push({ where: `sessions[${index}].start`, message: `${session.start} does not exist in ${program.timezone} (a daylight-saving gap)` });
    }
    if (previous && instant <= previous) problems.push({ where: `sessions[${index}].start`, message: "must be after the previous session" });
    previous = instant;
  });
  return problems;
}
