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
import { sessionTitleSchema } from "./session-titles.ts";
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
          /** One title, or one per language: { en: "…", de: "…" }. */
          title: sessionTitleSchema,
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
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "there is no such file" : code === "EISDIR" ? "it is a folder, not a file" : code === "EACCES" ? "it may not be read (permissions)" : (error as Error).message;
    throw new ProgramFileError(file, [{ where: "file", message: `cannot be read: ${reason}` }]);
  }
  return parseProgramText(text, file);
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
  const data: unknown = document.toJS();
  if (data === null || data === undefined) {
    throw new ProgramFileError(source, [{ where: "(top level)", message: "the file is empty; a program needs at least slug, title, timezone, registrationDeadline and sessions" }]);
  }
  const result = programFileSchema.safeParse(data);
  if (!result.success) {
    throw new ProgramFileError(
      source,
      result.error.issues.map((issue) => ({ where: describePath(document, lineCounter, issue.path), message: plainMessage(issue, valueAt(data, issue.path)) })),
    );
  }
  const problems = checkSessions(result.data);
  if (problems.length > 0) throw new ProgramFileError(source, problems);
  return result.data;
}

/** What a coordinator should read instead of zod's own wording ("Invalid input: expected string, received undefined"). */
function plainMessage(issue: z.core.$ZodIssue, value: unknown): string {
  // Our schemas' own messages ("must be a duration like …") are already plain.
  if (!/^(Invalid|Too small|Too big)\b/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return value === undefined ? "is missing" : `must be ${KINDS[issue.expected] ?? issue.expected}, not ${describeValue(value)}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
    case "too_big": {
      const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const side = issue.code === "too_small" ? "at least" : "at most";
      if (issue.origin === "string") return bound === 1 && issue.code === "too_small" ? "must not be empty" : `must be ${side} ${bound} characters long`;
      if (issue.origin === "array") return `must have ${side} ${bound} ${bound === 1 ? "entry" : "entries"}`;
      return `must be ${side} ${bound}`;
    }
    case "invalid_union": {
      // One of several shapes (a title is text or one text per language): explain the failure of
      // the shape the value has, else name the shapes.
      if (value === undefined) return "is missing";
      const sameShape = issue.errors.find((branch) => branch.length > 0 && !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0));
      const inner = sameShape?.[0];
      if (inner) return plainMessage(inner, valueAt(value, inner.path));
      return `must be text or one text per language like { en: "…", de: "…" }, not ${describeValue(value)}`;
    }
    case "invalid_format":
      return issue.format === "url" ? "must be a web address like https://example.org/room" : `is not a valid ${issue.format}`;
    default:
      return issue.message;
  }
}

const KINDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a set of fields (name: value)",
  record: "a set of fields (name: value)",
};

function describeValue(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a set of fields";
  if (typeof value === "string") return `the text “${value.length > 40 ? `${value.slice(0, 40)}…` : value}”`;
  return `${typeof value === "number" ? "the number" : "the value"} ${String(value)}`;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let node = data;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
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
