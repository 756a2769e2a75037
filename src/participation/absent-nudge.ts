// The `participation-absent` delivery kind: after a session, a group with members who did not
// check in gets one message in its language, with how many came and who to reach out to.
// Rendered at send time from the check-ins then, so a late correction is honoured.
import { z } from "zod";
import { message } from "../core/messages.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { defineDeliveryKind } from "../outbox/kinds.ts";
import { sessionTitle } from "../programs/session-titles.ts";

/** One per session and group (to the group's first reachable channel). */
export const PARTICIPATION_ABSENT = defineDeliveryKind({
  name: "participation-absent",
  payload: z.object({ sessionId: z.number().int(), groupId: z.number().int() }),
  key: "participation-absent:{sessionId}:{groupId}",
});

export function participationAbsentKind(db: PrismaClient) {
  return PARTICIPATION_ABSENT.renderWith(async (payload, target) => {
    const session = await db.session.findUnique({ where: { id: payload.sessionId }, include: { program: true } });
    if (!session) return { skip: "session no longer exists" };
    if (!session.program.absentNudge) return { skip: "absent nudges are off for the program" };
    if (!target.group || target.group.id !== payload.groupId || target.group.status !== "active") return { skip: "channel no longer bound to the group" };
    const [members, present] = await Promise.all([
      db.member.findMany({ where: { groupId: payload.groupId, role: { not: "facilitator" } }, select: { id: true, displayName: true }, orderBy: { id: "asc" } }),
      db.checkIn.findMany({ where: { sessionId: session.id, groupId: payload.groupId, present: true }, select: { memberId: true } }),
    ]);
    const here = new Set(present.map((checkIn) => checkIn.memberId));
    const absent = members.filter((member) => !here.has(member.id));
    if (absent.length === 0) return { skip: "everyone attended" };
    const { t, locale } = target;
    return {
      message: message()
        .heading(t("participation.absent.heading", { index: session.index, title: sessionTitle(session, locale) }))
        .text(t("participation.absent.counts", { attended: members.length - absent.length, members: members.length }))
        .text(t("participation.absent.names", { names: absent.map((member) => member.displayName).join(", ") }))
        .text(t("participation.absent.ask"))
        .build(),
    };
  });
}
