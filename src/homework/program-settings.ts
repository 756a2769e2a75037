// What a program file says about homework: each session's assignment per language
// (sessions[].homework) and the program-wide settings (homework.nudgeBefore, homework.lastDueAfter).
// Validated with zod like the rest of the file; turned into rows on import.
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client.ts";
import { SUPPORTED_LOCALES } from "../i18n/i18n.ts";
import { parseDuration } from "../time/durations.ts";

/** The longest assignment text, in characters (one chat message everywhere). */
export const MAX_ASSIGNMENT_TEXT = 2000;

export const assignmentTextSchema = z.string().trim().min(1).max(MAX_ASSIGNMENT_TEXT);

/** { en: "…", es: "…" }: only languages the bot ships, since only those have readers. */
export const assignmentTextsSchema = z.partialRecord(z.enum(SUPPORTED_LOCALES), assignmentTextSchema).refine(
  (texts) => Object.keys(texts).length > 0,
  "needs the text in at least one language, e.g. { en: \"Have one organizing conversation\" }",
);

export type AssignmentTexts = z.infer<typeof assignmentTextsSchema>;

const NUDGES_OFF = ["off", "none", "never"];

export const homeworkSettingsSchema = z
  .object({
    /** How long before the due time groups without a submission get a nudge; "off" for none. */
    nudgeBefore: z
      .union([z.string(), z.number(), z.literal(false)])
      .default("24h")
      .transform((value, ctx) => {
        if (value === false || (typeof value === "string" && NUDGES_OFF.includes(value.trim().toLowerCase()))) return null;
        const minutes = parseDuration(value);
        if (minutes === undefined || minutes === 0) {
          ctx.addIssue({ code: "custom", message: 'must be a duration like "24h" or "2d", or "off"' });
          return z.NEVER;
        }
        return minutes;
      }),
    /** The last session's homework is due this many whole days after it starts. */
    lastDueAfter: z
      .union([z.string(), z.number()])
      .default("7d")
      .transform((value, ctx) => {
        const minutes = parseDuration(typeof value === "number" ? `${value}d` : value);
        if (minutes === undefined || minutes === 0 || minutes % 1440 !== 0) {
          ctx.addIssue({ code: "custom", message: 'must be a whole number of days like "7d"' });
          return z.NEVER;
        }
        return minutes / 1440;
      }),
  })
  .strict();

export type HomeworkSettings = z.infer<typeof homeworkSettingsSchema>;

/** The Program columns the settings set; an absent section means the defaults. */
export function homeworkProgramData(settings: HomeworkSettings | undefined): { homeworkNudgeMinutes: number | null; homeworkLastDueDays: number } {
  const resolved = settings ?? homeworkSettingsSchema.parse({});
  return { homeworkNudgeMinutes: resolved.nudgeBefore, homeworkLastDueDays: resolved.lastDueAfter };
}

/**
 * Writes a session's assignment from the file. The file's languages replace those languages'
 * texts; a language set only with /assignment set stays, so re-importing doesn't undo it.
 */
export async function importAssignment(tx: Prisma.TransactionClient, sessionId: number, texts: AssignmentTexts | undefined): Promise<void> {
  if (!texts) return;
  const existing = await tx.homeworkAssignment.findUnique({ where: { sessionId } });
  const merged = { ...(existing ? readTexts(existing.texts) : {}), ...texts };
  await tx.homeworkAssignment.upsert({ where: { sessionId }, create: { sessionId, texts: merged }, update: { texts: merged } });
}

/** The stored texts, tolerating anything unexpected in the column (it is JSON). */
export function readTexts(value: unknown): AssignmentTexts {
  const parsed = z.record(z.string(), z.unknown()).safeParse(value);
  if (!parsed.success) return {};
  return Object.fromEntries(
    Object.entries(parsed.data).filter(
      (entry): entry is [string, string] => (SUPPORTED_LOCALES as readonly string[]).includes(entry[0]) && typeof entry[1] === "string" && entry[1].length > 0,
    ),
  ) as AssignmentTexts;
}
