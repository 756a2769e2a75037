// Breakout rooms for a session, from proposal to the groups' channels:
// - generate: runs the assignment on who takes part now and stores it as the session's proposal
//   (replacing an earlier proposal);
// - publish: makes the proposal the session's next published version and tells, through the
//   outbox, every group channel whose people's rooms it changes (all of them the first time);
// - what a participant's room is, and which rooms a facilitator leads.
// Generating and publishing for one session are serialized by a row lock on the session, so two
// coordinators at once can't both publish version 2.
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import type { BreakoutRound, Member, Prisma, PrismaClient, Program, Session } from "../generated/prisma/client.ts";
import type { BreakoutMode } from "../generated/prisma/enums.ts";
import type { Outbox } from "../outbox/outbox.ts";
import type { ScheduleService } from "../schedule/schedule-service.ts";
import { audit } from "../services/audit.ts";
import { assignBreakouts, type BreakoutReport } from "./assign.ts";
import { changedGroups, type RoomView } from "./changes.ts";
import { BREAKOUT_ROOMS } from "./delivery.ts";
import { linkLimits, roomLinks, type LinkLimit } from "./parallel-rooms.ts";
import { availableLeaders, earlierRooms, registeredMembers, type ParticipantSource } from "./population.ts";

export interface GenerateOptions {
  size?: number;
  mode?: BreakoutMode;
  seed?: number;
}

export interface SeatDetails {
  memberId: number;
  name: string;
  groupId: number;
  groupName: string;
}

export interface RoomDetails extends RoomView {
  facilitator: { id: number; name: string } | null;
  /** Sorted by name. */
  seats: SeatDetails[];
}

/** The assignment's report as a round stores it. */
export interface RoundReport extends BreakoutReport {
  /** Facilitators who offered more rooms than they have links (absent in rounds stored before it existed). */
  linkLimits?: LinkLimit[];
}

export interface RoundDetails {
  round: BreakoutRound;
  session: Session;
  rooms: RoomDetails[];
  report: RoundReport;
  /** Member id (as the report has it) -> display name, for everyone the report names (facilitators too). */
  names: Map<string, string>;
  /** Group id (as the report has it) -> group name. */
  groupNames: Map<string, string>;
}

export interface Proposal extends RoundDetails {
  /** An earlier proposal for the session was replaced. */
  replaced: boolean;
  /** The version in force, and how many groups publishing this proposal would send a correction. */
  published: { version: number; changedGroups: number } | null;
}

export type PublishOutcome =
  | { kind: "needs-confirmation"; details: RoundDetails }
  | { kind: "published"; session: Session; version: number; groupsTold: number; channels: number; unchangedGroups: number };

export interface SessionRooms {
  session: Session;
  /** The published version, or null when the session's rooms are not published yet. */
  version: number | null;
  rooms: RoomDetails[];
}

const TRANSACTION = { timeout: 60_000, maxWait: 10_000 };

const roomInclude = {
  facilitator: { select: { id: true, displayName: true } },
  seats: { include: { member: { select: { displayName: true } }, group: { select: { name: true } } } },
} satisfies Prisma.BreakoutRoomInclude;

type RoomRow = Prisma.BreakoutRoomGetPayload<{ include: typeof roomInclude }>;

function roomDetails(room: RoomRow): RoomDetails {
  return {
    number: room.number,
    language: room.language,
    facilitatorId: room.facilitatorId,
    meetingUrl: room.meetingUrl,
    facilitator: room.facilitator ? { id: room.facilitator.id, name: room.facilitator.displayName } : null,
    seats: room.seats
      .map((seat) => ({ memberId: seat.memberId, name: seat.member.displayName, groupId: seat.groupId, groupName: seat.group.name }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.memberId - b.memberId),
  };
}

export function sessionEnd(session: Session): Date {
  return new Date(session.startsAt.getTime() + session.durationMinutes * 60_000);
}

export class BreakoutService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly schedule: ScheduleService,
    private readonly participants: ParticipantSource = registeredMembers,
  ) {}

  /** Assigns rooms for session `index` and stores them as its proposal. */
  async generate(program: Program, index: number, options: GenerateOptions, actor: Member): Promise<Proposal> {
    const session = await this.openSession(program, index);
    const leaders = await availableLeaders(this.db);
    const people = await this.participants(this.db, session, new Set(leaders.map((leader) => leader.memberId)));
    if (people.length === 0) throw new UserError("breakouts.noParticipants", { index });
    const mode = options.mode ?? program.breakoutMode;
    const targetSize = options.size ?? program.breakoutRoomSize;
    const seed = options.seed ?? session.index;
    const result = assignBreakouts({
      participants: people,
      facilitators: leaders,
      targetRoomSize: targetSize,
      mode,
      seed,
      history: await earlierRooms(this.db, session),
    });
    const groupOf = new Map(people.map((person) => [person.id, person.groupRowId]));
    const links = roomLinks(result.rooms, leaders);
    const report: RoundReport = { ...result.report, linkLimits: linkLimits(leaders) };

    const { round, replaced } = await this.db.$transaction(async (tx) => {
      await lockSession(tx, session.id);
      const removed = await tx.breakoutRound.deleteMany({ where: { sessionId: session.id, status: "proposal" } });
      const round = await tx.breakoutRound.create({
        data: {
          sessionId: session.id,
          mode,
          targetSize,
          seed,
          needsConfirmation: result.needsConfirmation,
          report: report as unknown as Prisma.InputJsonObject,
        },
      });
      const rooms = await tx.breakoutRoom.createManyAndReturn({
        data: result.rooms.map((room) => ({
          roundId: round.id,
          number: room.index + 1,
          language: room.language,
          facilitatorId: room.facilitatorId === null ? null : Number(room.facilitatorId),
          meetingUrl: links[room.index],
        })),
        select: { id: true, number: true },
      });
      const roomId = new Map(rooms.map((room) => [room.number, room.id]));
      await tx.breakoutSeat.createMany({
        data: result.rooms.flatMap((room) =>
          room.memberIds.map((id) => ({ roomId: roomId.get(room.index + 1)!, memberId: Number(id), groupId: groupOf.get(id)! })),
        ),
      });
      await audit(tx, {
        actorMemberId: actor.id,
        action: "breakouts.generated",
        details: { sessionId: session.id, roundId: round.id, mode, targetSize, seed, rooms: result.rooms.length, needsConfirmation: result.needsConfirmation },
      });
      return { round, replaced: removed.count > 0 };
    }, TRANSACTION);

    const details = await this.details(round.id);
    const current = await this.publishedRound(session.id);
    const published = current
      ? { version: current.version!, changedGroups: changedGroups(await this.roomsOf(current.id), details.rooms).length }
      : null;
    return { ...details, replaced, published };
  }

  /**
   * Publishes the session's proposal. When it needs confirmation (a rule-1 or rule-2 violation)
   * and `confirm` is not given, nothing changes and the details say why.
   */
  async publish(program: Program, index: number, confirm: boolean, actor: Member): Promise<PublishOutcome> {
    const session = await this.openSession(program, index);
    const outcome = await this.db.$transaction(async (tx): Promise<PublishOutcome | { kind: "unconfirmed"; roundId: number }> => {
      await lockSession(tx, session.id);
      const proposal = await tx.breakoutRound.findFirst({ where: { sessionId: session.id, status: "proposal" } });
      const current = await tx.breakoutRound.findFirst({ where: { sessionId: session.id, status: "published" } });
      if (!proposal) {
        throw current
          ? new UserError("breakouts.publish.nothingNew", { index, version: current.version })
          : new UserError("breakouts.publish.noProposal", { index });
      }
      if (proposal.needsConfirmation && !confirm) return { kind: "unconfirmed", roundId: proposal.id };
      const version = (current?.version ?? 0) + 1;
      const now = this.clock.now();
      if (current) await tx.breakoutRound.update({ where: { id: current.id }, data: { status: "superseded" } });
      await tx.breakoutRound.update({ where: { id: proposal.id }, data: { status: "published", version, publishedAt: now } });
      const after = await this.roomsOf(proposal.id, tx);
      const allGroups = new Set(after.flatMap((room) => room.seats.map((seat) => seat.groupId)));
      const groups = current ? changedGroups(await this.roomsOf(current.id, tx), after) : [...allGroups];
      const channels = await tx.channel.findMany({
        where: { purpose: "group", unreachableAt: null, groupId: { in: groups }, group: { status: "active" } },
        select: { id: true, groupId: true },
      });
      await this.outbox.enqueue(
        channels.map((channel) =>
          BREAKOUT_ROOMS.request({
            channelId: channel.id,
            payload: { sessionId: session.id, roundId: proposal.id, version, groupId: channel.groupId! },
            notBefore: now,
            expiresAt: sessionEnd(session),
          }),
        ),
        tx,
      );
      await audit(tx, {
        actorMemberId: actor.id,
        action: "breakouts.published",
        details: { sessionId: session.id, roundId: proposal.id, version, confirmed: proposal.needsConfirmation, groupsTold: groups.length },
      });
      const told = new Set(channels.map((channel) => channel.groupId));
      return {
        kind: "published",
        session,
        version,
        groupsTold: told.size,
        channels: channels.length,
        unchangedGroups: [...allGroups].filter((id) => !groups.includes(id)).length,
      };
    }, TRANSACTION);
    if (outcome.kind === "unconfirmed") return { kind: "needs-confirmation", details: await this.details(outcome.roundId) };
    this.outbox.signalDue();
    return outcome;
  }

  /** The session the caller asks about: by number, else the one running now or next. */
  async sessionFor(program: Program, index: number | undefined): Promise<Session | undefined> {
    if (index !== undefined) return this.findSession(program, index);
    return (await this.schedule.next(program))?.session;
  }

  /** A session's published rooms that contain `member`, as a participant or as their facilitator. */
  async roomsWith(session: Session, member: Member): Promise<SessionRooms> {
    const current = await this.publishedRound(session.id);
    if (!current) return { session, version: null, rooms: [] };
    const rooms = await this.db.breakoutRoom.findMany({
      where: { roundId: current.id, OR: [{ facilitatorId: member.id }, { seats: { some: { memberId: member.id } } }] },
      include: roomInclude,
      orderBy: { number: "asc" },
    });
    return { session, version: current.version, rooms: rooms.map(roomDetails) };
  }

  private async details(roundId: number): Promise<RoundDetails> {
    const round = await this.db.breakoutRound.findUniqueOrThrow({ where: { id: roundId }, include: { session: true } });
    const rooms = await this.roomsOf(roundId);
    const report = round.report as unknown as RoundReport;
    const names = new Map(rooms.flatMap((room) => room.seats.map((seat) => [String(seat.memberId), seat.name] as const)));
    const named = [
      ...report.violations.flatMap((violation) => ("participantIds" in violation ? violation.participantIds : [])),
      ...(report.linkLimits ?? []).map((limit) => limit.facilitatorId),
    ];
    const unseated = [...new Set(named)].filter((id) => !names.has(id)).map(Number);
    for (const member of await this.db.member.findMany({ where: { id: { in: unseated } }, select: { id: true, displayName: true } })) {
      names.set(String(member.id), member.displayName);
    }
    const groupIds = report.violations.flatMap((violation) => (violation.code === "group-split" ? [Number(violation.details.groupId)] : []));
    const groups = await this.db.group.findMany({ where: { id: { in: groupIds } }, select: { id: true, name: true } });
    const { session, ...rest } = round;
    return { round: rest, session, rooms, report, names, groupNames: new Map(groups.map((group) => [String(group.id), group.name])) };
  }

  private async roomsOf(roundId: number, db: Pick<PrismaClient, "breakoutRoom"> = this.db): Promise<RoomDetails[]> {
    const rooms = await db.breakoutRoom.findMany({ where: { roundId }, include: roomInclude, orderBy: { number: "asc" } });
    return rooms.map(roomDetails);
  }

  private publishedRound(sessionId: number): Promise<BreakoutRound | null> {
    return this.db.breakoutRound.findFirst({ where: { sessionId, status: "published" } });
  }

  private async findSession(program: Program, index: number): Promise<Session> {
    const session = await this.db.session.findUnique({ where: { programId_index: { programId: program.id, index } } });
    if (!session) throw new UserError("session.unknown", { index, count: await this.db.session.count({ where: { programId: program.id } }) });
    return session;
  }

  /** A session whose breakouts may still change: it has not ended. */
  private async openSession(program: Program, index: number): Promise<Session> {
    const session = await this.findSession(program, index);
    if (sessionEnd(session) <= this.clock.now()) throw new UserError("breakouts.sessionOver", { index, title: session.title });
    return session;
  }
}

/** Serializes generate and publish for one session across processes. */
async function lockSession(tx: Prisma.TransactionClient, sessionId: number): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Session" WHERE id = ${sessionId} FOR UPDATE`;
}
