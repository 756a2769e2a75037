// What a program file says about participation (the participation: section): when check-in
// opens, the share below which a group counts as low, the supermajority a structure test must
// reach, and the optional follow-up after each session. Validated with zod like the rest of the
// file; turned into Program columns on import.
import { z } from "zod";
import { parseDuration } from "../time/durations.ts";

const share = z.number().gt(0, "must be a share between 0 and 1, like 0.7").max(1, "must be a share between 0 and 1, like 0.7");

export const participationSettingsSchema = z
  .object({
    /** Check-in opens this long before a session starts ("15m", or a number of minutes). */
    checkInOpensMinutesBefore: z
      .union([z.string(), z.number()])
      .default(15)
      .transform((value, ctx) => {
        const minutes = typeof value === "number" ? value : parseDuration(value);
        if (minutes === undefined || !Number.isInteger(minutes) || minutes < 0 || minutes > 24 * 60) {
          ctx.addIssue({ code: "custom", message: 'must be minutes (0 to 1440) or a duration like "15m"' });
          return z.NEVER;
        }
        return minutes;
      }),
    /** A group attending less than this share is listed first in /participation. */
    threshold: share.default(0.5),
    /** A structure test reaching this share of the unit is a supermajority. */
    supermajority: share.default(0.7),
    followUp: z
      .object({
        /** After a session, each group with members absent gets one message in its language. */
        absentNudge: z.boolean().default(false),
        /** A group whose attendance at a session is below this share is flagged to its facilitators. */
        flagBelow: share.optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ParticipationSettings = z.infer<typeof participationSettingsSchema>;

export interface ParticipationProgramData {
  checkInOpensMinutes: number;
  participationThreshold: number;
  supermajority: number;
  absentNudge: boolean;
  flagBelow: number | null;
}

/** The Program columns the settings set; an absent section means the defaults. */
export function participationProgramData(settings: ParticipationSettings | undefined): ParticipationProgramData {
  const resolved = settings ?? participationSettingsSchema.parse({});
  return {
    checkInOpensMinutes: resolved.checkInOpensMinutesBefore,
    participationThreshold: resolved.threshold,
    supermajority: resolved.supermajority,
    absentNudge: resolved.followUp.absentNudge,
    flagBelow: resolved.followUp.flagBelow ?? null,
  };
}
