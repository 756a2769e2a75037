// What a program file says about people's data (privacy.keepSubmissions, privacy.deleteAfter).
// Validated with zod like the rest of the file; turned into Program columns on import.
import { z } from "zod";
import { parseDuration } from "../time/durations.ts";

const KEEP_FOREVER = ["never", "off", "none"];

export const privacySettingsSchema = z
  .object({
    /** When someone's data is deleted, their homework submissions stay, as "a former member's". */
    keepSubmissions: z.boolean().default(false),
    /** Participants' personal data is deleted this long after the program's last session ends. */
    deleteAfter: z
      .union([z.string(), z.number()])
      .default("never")
      .transform((value, ctx) => {
        if (typeof value === "string" && KEEP_FOREVER.includes(value.trim().toLowerCase())) return null;
        const minutes = parseDuration(typeof value === "number" ? `${value}d` : value);
        if (minutes === undefined || minutes === 0 || minutes % 1440 !== 0) {
          ctx.addIssue({ code: "custom", message: 'must be a whole number of days like "90d", or "never"' });
          return z.NEVER;
        }
        return minutes / 1440;
      }),
  })
  .strict();

export type PrivacySettings = z.infer<typeof privacySettingsSchema>;

/** The Program columns the settings set; an absent section means the defaults. */
export function privacyProgramData(settings: PrivacySettings | undefined): { keepSubmissions: boolean; deleteAfterDays: number | null } {
  const resolved = settings ?? privacySettingsSchema.parse({});
  return { keepSubmissions: resolved.keepSubmissions, deleteAfterDays: resolved.deleteAfter };
}
