// The `participation-flag` delivery kind: after a session, each facilitators' channel learns
// which groups attended below the program's followUp.flagBelow, with their numbers and their
// facilitators, so someone reaches out before the next session. Nothing to flag: no message.
import { z } from "zod";
import { message } from "../core/messages.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { defineDeliveryKind } from "../outbox/kinds.ts";
import { sessionTitle } from "../programs/session-titles.ts";
import { percent, ParticipationReports } from "./report.ts";

/** One per session and facilitators' channel. */
export const PARTICIPATION_FLAG = defineDeliveryKind({
  name: "participation-flag",
  payload: z.object({ sessionId: z.number().int() }),
  key: "participation-flag:{sessionId}:{channelId}",
});

export function participationFlagKind(db: PrismaClient) {
  const reports = new ParticipationReports(db);
  return PARTICIPATION_FLAG.renderWith(async (payload, target) => {
    const session = await db.session.findUnique({ where: { id: payload.sessionId }, include: { program: true } });
    if (!session) return { skip: "session no longer exists" };
    const { program } = session;
    if (program.flagBelow === null) return { skip: "flags are off for the program" };
    const groups = await db.group.findMany({
      where: { programId: program.id, status: "active" },
      include: { facilitators: { include: { member: { select: { displayName: true } } } } },
      orderBy: { name: "asc" },
    });
    const report = await reports.report(program, groups, [session]);
    const low = report.groups.filter((entry) => entry.members > 0 && entry.sessions[0]!.attended / entry.members < program.flagBelow!);
    if (low.length === 0) return { skip: "no group below the threshold" };
    const { t, locale } = target;
    const facilitatorsOf = new Map(groups.map((group) => [group.id, group.facilitators.map((link) => link.member.displayName)]));
    return {
      message: message()
        .heading(t("participation.flag.heading", { index: session.index, title: sessionTitle(session, locale), threshold: percent(program.flagBelow, 1) }))
        .list(
          low.map((entry) => {
            const names = facilitatorsOf.get(entry.group.id) ?? [];
            const line = t("participation.flag.group", { group: entry.group.name, attended: entry.sessions[0]!.attended, members: entry.members, percent: percent(entry.sessions[0]!.attended, entry.members) });
            return [line, " ", names.length > 0 ? t("participation.flag.facilitators", { names: names.join(", ") }) : t("participation.flag.noFacilitator")];
          }),
        )
        .build(),
    };
  });
}
