// Session reminders: every bound group channel gets one at each of the program's offsets before
// each session (default 24 h and 1 h). The planner puts them into the outbox ahead of time; the
// reminder kind renders them at send time in the group's language and zone.
import { z } from "zod";
import type { Clock } from "../clock.ts";
import { message } from "../core/messages.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { defineDeliveryKind, payloadInstant } from "../outbox/kinds.ts";
import { isoText, type Outbox } from "../outbox/outbox.ts";
import { formatDuration } from "../time/relative.ts";
import { programTimeText, sessionTimes } from "./session-view.ts";
import { sessionTitle } from "../programs/session-titles.ts";

/** Reminders are put into the outbox when they fall due within this horizon. */
export const REMINDER_HORIZON_MS = 7 * 24 * 3_600_000;

const reminderPayload = z.object({ sessionId: z.number().int(), offsetMinutes: z.number().int(), startsAt: payloadInstant });

/**
 * One reminder per session, start time, channel and offset. The key contains the session's start
 * instant, so a session that is moved gets fresh reminders for its new time, while the old ones
 * are cancelled.
 */
export const REMINDER = defineDeliveryKind({
  name: "reminder",
  payload: reminderPayload,
  key: "reminder:{sessionId}:{startsAt}:{channelId}:{offsetMinutes}",
});

export class ReminderPlanner {
  constructor(
    private readonly db: PrismaClient,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Enqueues every reminder that falls due before now + horizon, for sessions that have not begun,
   * for every reachable group channel of every program whose reminders are not paused (or only
   * for one group: a group that just registered gets its reminders at once). One statement;
   * idempotent (the dedupe key).
   */
  async enqueueHorizon(options: { horizonMs?: number; groupId?: number } = {}): Promise<number> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + (options.horizonMs ?? REMINDER_HORIZON_MS));
    const onlyGroup = options.groupId ?? null;
    const inserted = await this.outbox.enqueueSelect(
      REMINDER,
      Prisma.sql`
        SELECT c.id AS "channelId", c.platform,
               jsonb_build_object('sessionId', s.id, 'offsetMinutes', o.minutes, 'startsAt', ${isoText(Prisma.sql`s."startsAt"`)}) AS payload,
               s."startsAt" - make_interval(mins => o.minutes) AS "notBefore",
               s."startsAt" AS "expiresAt"
        FROM "Session" s
        JOIN "Program" p ON p.id = s."programId" AND NOT p."remindersPaused"
        CROSS JOIN LATERAL unnest(p."reminderOffsets") AS o(minutes)
        JOIN "Group" g ON g."programId" = p.id AND g.status = 'active'
        JOIN "Channel" c ON c."groupId" = g.id AND c.purpose = 'group' AND c."unreachableAt" IS NULL
        WHERE s."startsAt" > ${now}
          AND s."startsAt" - make_interval(mins => o.minutes) <= ${until}
          AND (${onlyGroup}::int IS NULL OR g.id = ${onlyGroup}::int)`,
    );
    if (inserted > 0) this.logger.info({ inserted, until: until.toISOString() }, "reminders enqueued");
    return inserted;
  }

  /** Cancels the reminders still waiting for a session (it moved) or a program (paused). */
  async cancelPending(where: { sessionId?: number; programId?: number }, reason: string): Promise<number> {
    const sessionIds = where.sessionId !== undefined ? [where.sessionId] : await this.sessionIds(where.programId!);
    if (sessionIds.length === 0) return 0;
    return this.outbox.cancel(REMINDER, { sessionId: sessionIds }, reason);
  }

  /** After a pause: the reminders cancelled by it that are still ahead go back to waiting. */
  async restorePaused(programId: number): Promise<number> {
    const sessionIds = await this.sessionIds(programId);
    if (sessionIds.length === 0) return 0;
    return this.outbox.restore(REMINDER, { sessionId: sessionIds }, PAUSED);
  }

  private async sessionIds(programId: number): Promise<number[]> {
    return (await this.db.session.findMany({ where: { programId }, select: { id: true } })).map((session) => session.id);
  }
}

export const PAUSED = "reminders paused";

/** A late reminder is dropped when the next one of its session follows within this time. */
const LATE_REMINDER_GAP_MS = 15 * 60_000;

export function reminderKind(db: PrismaClient) {
  return REMINDER.renderWith(async (payload, target) => {
    const session = await db.session.findUnique({ where: { id: payload.sessionId }, include: { program: true } });
    if (!session) return { skip: "session no longer exists" };
    const program = session.program;
    if (program.remindersPaused) return { skip: PAUSED };
    if (session.startsAt.getTime() !== new Date(payload.startsAt).getTime()) return { skip: "session moved" };
    // A reminder that goes late (after downtime, or for a group that registered after its time)
    // gives way to a closer one whose time has come, or comes soon and is nearer than its own: a
    // group never gets "starts in 1 hour" twice a minute apart, nor several missed ones at once.
    const now = target.now.getTime();
    const untilStart = session.startsAt.getTime() - now;
    const lateBy = now - (session.startsAt.getTime() - payload.offsetMinutes * 60_000);
    const closer = program.reminderOffsets.filter((offset) => {
      const closerDueIn = untilStart - offset * 60_000;
      return offset < payload.offsetMinutes && (closerDueIn <= 0 || (closerDueIn < lateBy && closerDueIn < LATE_REMINDER_GAP_MS));
    });
    if (closer.length > 0) return { skip: `superseded by the ${Math.min(...closer)}-minute reminder` };
    const { t, locale, timezone } = target;
    const times = sessionTimes(session, program, locale, timezone);
    const body = message()
      .heading(t("reminder.heading", { index: session.index, title: sessionTitle(session, locale), in: formatDuration(untilStart, locale) }))
      .text(t("reminder.when", times));
    const programTime = programTimeText(t, times);
    if (programTime) body.text(t("reminder.programTime", { time: programTime }));
    if (program.joinUrl) body.text(t("reminder.join"), " ", { text: program.joinUrl, href: program.joinUrl });
    // One tap checks the presser in (/here); before the window opens it says when it will.
    body.action({ kind: "check-in", session: session.index, label: t("participation.here.button") });
    return { message: body.build() };
  });
}

/** Tells a group that a session's time changed: one notice per session, new time and channel. */
export const SESSION_MOVED = defineDeliveryKind({
  name: "session-moved",
  payload: z.object({ sessionId: z.number().int(), from: payloadInstant, to: payloadInstant }),
  key: "session-moved:{sessionId}:{to}:{channelId}",
});

export function sessionMovedKind(db: PrismaClient) {
  return SESSION_MOVED.renderWith(async (payload, target) => {
    const session = await db.session.findUnique({ where: { id: payload.sessionId }, include: { program: true } });
    if (!session) return { skip: "session no longer exists" };
    if (session.startsAt.getTime() !== new Date(payload.to).getTime()) return { skip: "moved again since" };
    const { t, locale, timezone } = target;
    const now = sessionTimes(session, session.program, locale, timezone);
    const before = sessionTimes({ ...session, startsAt: new Date(payload.from) }, session.program, locale, timezone);
    return {
      message: message()
        .heading(t("sessionMoved.heading", { index: session.index, title: sessionTitle(session, locale) }))
        .text(t("sessionMoved.now", now))
        .text(t("sessionMoved.before", before))
        .build(),
    };
  });
}
