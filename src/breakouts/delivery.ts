// The breakout notice a group channel gets when a session's rooms are published: each of the
// group's people with their room and facilitator (and the room's link). Rendered at send time in
// the group's language and zone. A later version that changed this group's rooms brings its own
// notice, so an older one still waiting is skipped; a notice that follows one the channel already
// received reads as a correction and marks who moved.
import { z } from "zod";
import { message, type Span } from "../core/messages.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { defineDeliveryKind } from "../outbox/kinds.ts";
import { sessionTimes } from "../schedule/session-view.ts";
import { changedMembers } from "./changes.ts";
import { roomLabel } from "./labels.ts";
import { sessionTitle } from "../programs/session-titles.ts";

const payloadSchema = z.object({
  sessionId: z.number().int(),
  roundId: z.number().int(),
  version: z.number().int().min(1),
  groupId: z.number().int(),
});

/** One notice per published version and channel. */
export const BREAKOUT_ROOMS = defineDeliveryKind({
  name: "breakout-rooms",
  payload: payloadSchema,
  key: "breakouts:{sessionId}:v{version}:{channelId}",
});

export function breakoutRoomsKind(db: PrismaClient) {
  const roomsOfGroup = async (roundId: number, groupId: number) =>
    db.breakoutRoom.findMany({
      where: { roundId, seats: { some: { groupId } } },
      include: { facilitator: { select: { displayName: true } }, seats: { where: { groupId }, include: { member: { select: { displayName: true } } } } },
      orderBy: { number: "asc" },
    });

  return BREAKOUT_ROOMS.renderWith(async (payload, target) => {
    const round = await db.breakoutRound.findUnique({ where: { id: payload.roundId }, include: { session: { include: { program: true } } } });
    if (!round || round.status === "proposal") return { skip: "these rooms no longer exist" };
    const others = await db.delivery.findMany({
      where: { kind: BREAKOUT_ROOMS.name, channelId: target.channel.id, dedupeKey: { startsWith: `breakouts:${payload.sessionId}:` } },
      select: { status: true, payload: true },
    });
    const versions = others.flatMap((row) => {
      const parsed = payloadSchema.safeParse(row.payload);
      return parsed.success ? [{ ...parsed.data, status: row.status }] : [];
    });
    if (versions.some((other) => other.version > payload.version)) return { skip: "superseded: a later version changed this group's rooms" };
    const seen = versions.filter((other) => other.version < payload.version && other.status === "sent").sort((a, b) => b.version - a.version)[0];

    const rooms = await roomsOfGroup(round.id, payload.groupId);
    const moved = seen ? changedMembers(await roomsOfGroup(seen.roundId, payload.groupId), rooms, payload.groupId) : new Set<number>();
    const { t, locale, timezone } = target;
    const { session } = round;
    const body = message().heading(t(seen ? "breakouts.notice.correctionHeading" : "breakouts.notice.heading", { index: session.index, title: sessionTitle(session, locale) }));
    body.text(t("reminder.when", sessionTimes(session, session.program, locale, timezone)));
    if (rooms.length === 0) return { message: body.text(t("breakouts.notice.noRooms")).build() };
    body.list(
      rooms.map((room) => {
        const names = room.seats
          .map((seat) => ({ name: seat.member.displayName, moved: moved.has(seat.memberId) }))
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((seat) => (seat.moved ? t("breakouts.notice.moved", { name: seat.name }) : seat.name));
        const line: Span[] = [
          { text: roomLabel(t, room, locale), style: "bold" },
          ` (${room.facilitator ? t("breakouts.facilitatorIs", { name: room.facilitator.displayName }) : t("breakouts.noFacilitator")}): `,
          names.join(", "),
        ];
        if (room.meetingUrl) line.push(" · ", { text: t("breakouts.joinRoom"), href: room.meetingUrl });
        return line;
      }),
    );
    return { message: body.text(t("breakouts.notice.footer")).build() };
  });
}
