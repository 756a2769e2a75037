import { roomLabel } from "../src/breakouts/labels.ts";
import { arg, positional } from "../src/core/args.ts";
import { defineCommand, defineGroup } from "../src/core/command.ts";
import { requireProgram, type CommandContext } from "../src/core/context.ts";
import { message, type Span } from "../src/core/messages.ts";
import type { RoomDetails } from "../src/breakouts/breakout-service.ts";
import type { Session } from "../src/generated/prisma/client.ts";
import { sessionTitle } from "../src/programs/session-titles.ts";

const sessionArg = () => positional(arg.integer({ min: 1, max: 100, autocomplete: "session" }));

interface CallerRooms {
  session: Session;
  /** The room the caller sits in, if any. */
  seat: RoomDetails | undefined;
  /** The rooms the caller leads. */
  led: RoomDetails[];
}

/** The caller's place in the published rooms of the asked-for (else the next) session, or why there is none. */
async function callerRooms(context: CommandContext, index: number | undefined): Promise<CallerRooms | string> {
  const program = requireProgram(context);
  const { t, caller, locale } = context;
  const session = await context.services.breakouts.sessionFor(program, index);
  if (!session) return t("breakouts.show.noSession", { program: program.title });
  const found = await context.services.breakouts.roomsWith(session, caller);
  if (found.version === null) return t("breakouts.show.notPublished", { index: session.index, title: sessionTitle(session, locale) });
  return {
    session,
    seat: found.rooms.find((room) => room.seats.some((member) => member.memberId === caller.id)),
    led: found.rooms.filter((room) => room.facilitatorId === caller.id),
  };
}

/** Anyone: their room in the next session (or the one given), with facilitator and link. */
const show = defineCommand({
  name: "show",
  role: "anyone",
  privateReply: true,
  args: { session: sessionArg() },
  async run(context, args) {
    const found = await callerRooms(context, args.session);
    if (typeof found === "string") return found;
    const { t, locale, caller } = context;
    const { session, seat, led } = found;
    if (!seat && led.length === 0) return t("breakouts.show.noRoom", { index: session.index, title: sessionTitle(session, locale) });
    const body = message().heading(t(seat ? "breakouts.show.heading" : "breakouts.rooms.heading", { index: session.index, title: sessionTitle(session, locale) }));
    if (seat) {
      body.text({ text: roomLabel(t, seat, locale), style: "bold" });
      body.text(seat.facilitator ? t("breakouts.show.facilitator", { name: seat.facilitator.name }) : t("breakouts.show.noFacilitator"));
      const mates = seat.seats.filter((member) => member.memberId !== caller.id).map((member) => member.name);
      if (requireProgram(context).breakoutShowRoommates && mates.length > 0) body.text(t("breakouts.show.roommates", { names: mates.join(", ") }));
      if (seat.meetingUrl) body.text({ text: t("breakouts.joinRoom"), href: seat.meetingUrl });
    }
    if (led.length > 0) {
      body.text(t("breakouts.show.leading", { count: led.length, rooms: led.map((room) => roomLabel(t, room, locale)).join(", ") }));
    }
    return body.build();
  },
});

/** Facilitators: the rooms they lead, with who is in them. */
const rooms = defineCommand({
  name: "rooms",
  role: "facilitator",
  privateReply: true,
  args: { session: sessionArg() },
  async run(context, args) {
    const found = await callerRooms(context, args.session);
    if (typeof found === "string") return found;
    const { t, locale } = context;
    const { session, led } = found;
    if (led.length === 0) return t("breakouts.rooms.none", { index: session.index, title: sessionTitle(session, locale) });
    const body = message().heading(t("breakouts.rooms.heading", { index: session.index, title: sessionTitle(session, locale) }));
    for (const room of led) {
      const title: Span[] = [{ text: roomLabel(t, room, locale), style: "bold" }, ` — ${t("breakouts.summary.people", { count: room.seats.length })}`];
      if (room.meetingUrl) title.push(" · ", { text: t("breakouts.joinRoom"), href: room.meetingUrl });
      body.text(...title);
      body.list(room.seats.map((member) => [t("breakouts.rooms.member", { name: member.name, group: member.groupName })]));
    }
    return body.build();
  },
});

export default defineGroup({ name: "breakout", subcommands: [show, rooms], defaultSubcommand: "show" });
