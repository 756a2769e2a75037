// The `breakouts:` section of a program file: defaults for /breakouts generate, whether people
// see their room-mates' names, and the facilitators known in advance. Importing the file applies
// it; for the facilitators it lists, the file wins over what they declared with /facilitator.
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client.ts";
import { SUPPORTED_LOCALES } from "../i18n/i18n.ts";
import { audit } from "../services/audit.ts";

export const MIN_ROOM_SIZE = 2;
export const MAX_ROOM_SIZE = 50;
export const MAX_FACILITATOR_CAPACITY = 20;

/** A meeting link: http(s) only, so nothing else can hide behind a link people are told to open. */
export const meetingUrlSchema = z
  .url({ protocol: /^https?$/, message: "must be an http(s) link" })
  .max(500);

const facilitatorEntry = z
  .object({
    /** "platform:userId", e.g. "telegram:123456789" or "slack:U012ABC". */
    user: z.string().regex(/^[a-z]+:\S+$/, 'must be "platform:userId", e.g. telegram:123456789'),
    /** Shown until the person first talks to the bot (their platform name replaces it then). */
    name: z.string().trim().min(1).max(100).optional(),
    languages: z
      .array(z.string().trim().toLowerCase().pipe(z.enum(SUPPORTED_LOCALES, { message: `must be one of ${SUPPORTED_LOCALES.join(", ")}` })))
      .min(1)
      .max(SUPPORTED_LOCALES.length),
    /** Rooms they lead at the same time in one session: at most one per link (see parallel-rooms.ts). */
    capacity: z.number().int().min(0).max(MAX_FACILITATOR_CAPACITY).default(1),
    link: meetingUrlSchema.optional(),
    links: z
      .array(meetingUrlSchema)
      .min(1)
      .max(MAX_FACILITATOR_CAPACITY)
      .refine((list) => new Set(list).size === list.length, "lists a link twice")
      .optional(),
  })
  .strict()
  .refine((entry) => entry.link === undefined || entry.links === undefined, { message: "give either link or links, not both", path: ["links"] });

export const breakoutSettingsSchema = z
  .object({
    roomSize: z.number().int().min(MIN_ROOM_SIZE).max(MAX_ROOM_SIZE).default(8),
    mode: z.enum(["mix", "keep"]).default("mix"),
    /** People see who else is in their room with /breakout. Off by default: names are personal data. */
    showRoommates: z.boolean().default(false),
    facilitators: z
      .array(facilitatorEntry)
      .max(1000)
      .default([])
      .refine((list) => new Set(list.map((entry) => entry.user)).size === list.length, "lists someone twice"),
  })
  .strict();

export type BreakoutSettings = z.infer<typeof breakoutSettingsSchema>;

const DEFAULTS: BreakoutSettings = breakoutSettingsSchema.parse({});

/** The Program columns the section sets (defaults when the file has no `breakouts:`). */
export function breakoutProgramData(settings: BreakoutSettings | undefined) {
  const effective = settings ?? DEFAULTS;
  return {
    breakoutRoomSize: effective.roomSize,
    breakoutMode: effective.mode,
    breakoutShowRoommates: effective.showRoommates,
  };
}

/**
 * Creates or updates the listed facilitators: their member row (so they exist before their first
 * command), the facilitator role (a coordinator keeps theirs) and their profile.
 */
export async function importFacilitators(tx: Prisma.TransactionClient, programId: number, settings: BreakoutSettings | undefined): Promise<number> {
  for (const entry of settings?.facilitators ?? []) {
    const [platform, ...rest] = entry.user.split(":");
    const platformUserId = rest.join(":");
    const where = { platform_platformUserId: { platform: platform!, platformUserId } };
    const existing = await tx.member.findUnique({ where });
    const member = existing
      ? existing.role === "participant"
        ? await tx.member.update({ where: { id: existing.id }, data: { role: "facilitator" } })
        : existing
      : await tx.member.create({ data: { platform: platform!, platformUserId, displayName: entry.name ?? platformUserId, role: "facilitator" } });
    const profile = { languages: entry.languages, capacity: entry.capacity, meetingUrls: entry.links ?? (entry.link ? [entry.link] : []) };
    await tx.facilitatorProfile.upsert({ where: { memberId: member.id }, create: { memberId: member.id, ...profile }, update: profile });
    if (member.role !== existing?.role) {
      await audit(tx, { action: "role.granted", targetMemberId: member.id, details: { role: "facilitator", previous: existing?.role ?? null, source: "program file", programId } });
    }
  }
  return settings?.facilitators.length ?? 0;
}
