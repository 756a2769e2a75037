// The program's sessions as groups see them, and the coordinators' changes to them: moving a
// session (its pending reminders follow, groups are told) and pausing or resuming reminders.
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import type { Member, PrismaClient, Program, Session } from "../generated/prisma/client.ts";
import type { Outbox } from "../outbox/outbox.ts";
import { audit } from "../services/audit.ts";
import { parseTypedWallClock } from "../time/instants.ts";
import { PAUSED, SESSION_MOVED, type ReminderPlanner } from "./reminders.ts";
import { sessionOrderError } from "./session-order.ts";

export class ScheduleService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly planner: ReminderPlanner,
  ) {}

  sessions(program: Program): Promise<Session[]> {
    return this.db.session.findMany({ where: { programId: program.id }, orderBy: { index: "asc" } });
  }

  /** The session running now or the next one to start. */
  async next(program: Program): Promise<{ session: Session; running: boolean } | undefined> {
    const now = this.clock.now();
    const sessions = await this.sessions(program);
    for (const session of sessions) {
      const end = session.startsAt.getTime() + session.durationMinutes * 60_000;
      if (end > now.getTime()) return { session, running: session.startsAt <= now };
    }
    return undefined;
  }

  /**
   * Moves session `index` to a wall-clock time in the program's zone. Its pending reminders are
   * cancelled, new ones enqueued for the new time, and every group channel gets a notice.
   */
  async move(program: Program, index: number, localDateTime: string, actor: Member): Promise<{ session: Session; from: Date }> {
    const session = await this.db.session.findUnique({ where: { programId_index: { programId: program.id, index } } });
    if (!session) throw new UserError("session.unknown", { index, count: await this.db.session.count({ where: { programId: program.id } }) });
    const parsed = parseTypedWallClock(localDateTime, program.timezone);
    if (!parsed.ok) {
      throw new UserError(parsed.reason === "nonexistent" ? "session.nonexistentTime" : "session.badTime", { input: localDateTime, zone: program.timezone });
    }
    const startsAt = parsed.instant;
    const from = session.startsAt;
    if (from <= this.clock.now()) throw new UserError("session.alreadyHeld", { index, title: session.title, at: from });
    if (startsAt <= this.clock.now()) throw new UserError("session.inPast");
    if (from.getTime() === startsAt.getTime()) throw new UserError("session.unchanged");
    const others = await this.db.session.findMany({ where: { programId: program.id, index: { in: [index - 1, index + 1] } } });
    const outOfOrder = sessionOrderError([...others, { ...session, startsAt }], index);
    if (outOfOrder) throw outOfOrder;
    const moved = await this.db.$transaction(async (tx) => {
      const updated = await tx.session.update({ where: { id: session.id }, data: { startsAt } });
      await audit(tx, { actorMemberId: actor.id, action: "session.moved", details: { sessionId: session.id, from: from.toISOString(), to: startsAt.toISOString() } });
      return updated;
    });
    await this.sessionsMoved(program, [{ session: moved, from }]);
    return { session: moved, from };
  }

  /**
   * Sessions moved (by /session move or a program import): their pending reminders are
   * cancelled, new ones enqueued for the new times, and every group channel gets a notice of each
   * move that still lies ahead.
   */
  async sessionsMoved(program: Program, moves: readonly { session: Session; from: Date }[]): Promise<number> {
    if (moves.length === 0) return 0;
    const now = this.clock.now();
    for (const { session } of moves) await this.planner.cancelPending({ sessionId: session.id }, "session moved");
    const channels = await this.groupChannels(program);
    const notices = await this.outbox.enqueue(
      moves
        .filter(({ session }) => session.startsAt > now)
        .flatMap(({ session, from }) =>
          channels.map((channel) =>
            SESSION_MOVED.request({
              channelId: channel.id,
              payload: { sessionId: session.id, from: from.toISOString(), to: session.startsAt.toISOString() },
              notBefore: now,
              expiresAt: session.startsAt,
            }),
          ),
        ),
    );
    await this.planner.enqueueHorizon();
    return notices;
  }

  async pauseReminders(program: Program, actor: Member): Promise<number> {
    if (program.remindersPaused) throw new UserError("reminders.alreadyPaused");
    await this.db.program.update({ where: { id: program.id }, data: { remindersPaused: true } });
    await audit(this.db, { actorMemberId: actor.id, action: "reminders.paused", details: { programId: program.id } });
    return this.planner.cancelPending({ programId: program.id }, PAUSED);
  }

  async resumeReminders(program: Program, actor: Member): Promise<number> {
    if (!program.remindersPaused) throw new UserError("reminders.notPaused");
    await this.db.program.update({ where: { id: program.id }, data: { remindersPaused: false } });
    await audit(this.db, { actorMemberId: actor.id, action: "reminders.resumed", details: { programId: program.id } });
    const restored = await this.planner.restorePaused(program.id);
    return restored + (await this.planner.enqueueHorizon());
  }

  private groupChannels(program: Program) {
    return this.db.channel.findMany({
      where: { purpose: "group", unreachableAt: null, group: { programId: program.id, status: "active" } },
      select: { id: true },
    });
  }
}
