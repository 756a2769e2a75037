// The outbox kind of an announcement: one row per (announcement, channel), rendered at send time
// in the version for the group's language as it is then, else the default text. A row of an
// announcement cancelled after it was claimed is skipped here, so cancelling wins every race
// it can.
import { z } from "zod";
import { message, type OutgoingMessage } from "../core/messages.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Translate } from "../i18n/i18n.ts";
import { defineDeliveryKind } from "../outbox/kinds.ts";
import { variantFor } from "./variants.ts";

/** One per (announcement, channel): confirming twice, or two processes, can't queue it twice. */
export const ANNOUNCEMENT = defineDeliveryKind({
  name: "announcement",
  payload: z.object({ announcementId: z.number().int().positive() }),
  key: "announcement:{announcementId}:{channelId}",
});

/** What a group sees: who it is from, and the text exactly as the coordinator wrote it. */
export function announcementMessage(text: string, programTitle: string, allowMassMentions: boolean, t: Translate): OutgoingMessage {
  const built = message().heading(t("announcement.heading", { program: programTitle })).text(text).build();
  return allowMassMentions ? { ...built, allowMassMentions: true } : built;
}

export function announcementKind(db: PrismaClient) {
  return ANNOUNCEMENT.renderWith(async (payload, target) => {
    const announcement = await db.announcement.findUnique({ where: { id: payload.announcementId }, include: { program: true } });
    if (!announcement) return { skip: "announcement no longer exists" };
    if (announcement.status === "cancelled") return { skip: "announcement cancelled" };
    if (announcement.status !== "confirmed") return { skip: `announcement is a ${announcement.status}` };
    const variant = variantFor(announcement, target.locale);
    return { message: announcementMessage(variant.text, announcement.program.title, announcement.allowMassMentions, target.t) };
  });
}
