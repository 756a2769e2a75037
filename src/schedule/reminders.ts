// Session reminders: every bound group channel gets one at each of the program's offsets before
// each session (default 24 h and 1 h). The planner puts them into the outbox ahead of time; the
// reminder kind renders them at send time in the group's language and zone.
import { z } from "zod";
import type { Clock } from "../clock.ts";
import { message } from "../core/messages.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { defineDeliveryKind } from "../outbox/kinds.ts";
import { formatDuration } from "../time/relative.ts";
import { programTimeText, sessionTimes } from "./session-view.ts";

/** Reminders are put into the outbox when they fall due within this horizon. */
export const REMINDER_HORIZON_MS = 7 * 24 * 3_600_000;

/**
 * The dedupe key of one reminder. It contains the session's start instant, so a session that is
 * moved gets fresh reminders for its new time, while the old ones are cancelled.
 */
export function reminderKey(sessionId: number, startsAt: Date, channelId: number, offsetMinutes: number): string {
  return `reminder:${sessionId}:${startsAt.toISOString()}:${channelId}:${offsetMinutes}`;
}

export class ReminderPlanner {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Enqueues every reminder that falls due before now + horizon, for sessions that have not begun,
   * for every reachable group channel of every program whose reminders are not paused (or only
   * for one group: a group that just registered gets its reminders at once). One statement;
   * idempotent (ON CONFLICT DO NOTHING on the dedupe key).
   */
  async enqueueHorizon(options: { horizonMs?: number; groupId?: number } = {}): Promise<number> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + (options.horizonMs ?? REMINDER_HORIZON_MS));
    const onlyGroup = options.groupId ?? null;
    const inserted = await this.db.$executeRaw`
      INSERT INTO "Delivery" (kind, "dedupeKey", "channelId", platform, payload, "notBefore", "nextAttemptAt", "expiresAt")
      SELECT 'reminder',
             'reminder:' || s.id || ':' || to_char(s."startsAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ':' || c.id || ':' || o.minutes,
             c.id, c.platform,
             jsonb_build_object('sessionId', s.id, 'offsetMinutes', o.minutes, 'startsAt', s."startsAt"),
             s."startsAt" - make_interval(mins => o.minutes),
             s."startsAt" - make_interval(mins => o.minutes),
             s."startsAt"
      FROM "Session" s
      JOIN "Program" p ON p.id = s."programId" AND NOT p."remindersPaused"
      CROSS JOIN LATERAL unnest(p."reminderOffsets") AS o(minutes)
      JOIN "Group" g ON g."programId" = p.id AND g.status = 'active'
      JOIN "Channel" c ON c."groupId" = g.id AND c.purpose = 'group' AND c."unreachableAt" IS NULL
      WHERE s."startsAt" > ${now}
        AND s."startsAt" - make_interval(mins => o.minutes) <= ${until}
        AND (${onlyGroup}::int IS NULL OR g.id = ${onlyGroup}::int)
      ON CONFLICT ("dedupeKey") DO NOTHING`;
    if (inserted > 0) this.logger.info({ inserted, until: until.toISOString() }, "reminders enqueued");
    return inserted;
  }

  /** Cancels the reminders still waiting for a session (it moved) or a program (paused). */
  async cancelPending(where: { sessionId?: number; programId?: number }, reason: string): Promise<number> {
    const sessionIds = where.sessionId !== undefined
      ? [where.sessionId]
      : (await this.db.session.findMany({ where: { programId: where.programId }, select: { id: true } })).map((session) => session.id);
    if (sessionIds.length === 0) return 0;
    const result = await this.db.$executeRaw`
      UPDATE "Delivery" SET status = 'cancelled', "lastError" = ${reason}
      WHERE kind = 'reminder' AND status = 'pending' AND (payload->>'sessionId')::int = ANY(${sessionIds})`;
    return result;
  }

  /** After a pause: the reminders cancelled by it that are still ahead go back to waiting. */
  async restorePaused(programId: number): Promise<number> {
    const now = this.clock.now();
    const sessionIds = (await this.db.session.findMany({ where: { programId }, select: { id: true } })).map((session) => session.id);
    if (sessionIds.length === 0) return 0;
    return this.db.$executeRaw`
      UPDATE "Delivery" SET status = 'pending', "lastError" = NULL
      WHERE kind = 'reminder' AND status = 'cancelled' AND "lastError" = ${PAUSED}
        AND "nextAttemptAt" > ${now} AND (payload->>'sessionId')::int = ANY(${sessionIds})`;
  }
}

export const PAUSED = "reminders paused";

const reminderPayload = z.object({ sessionId: z.number().int(), offsetMinutes: z.number().int(), startsAt: z.string() });

export function reminderKind(db: PrismaClient) {
  return defineDeliveryKind({
    kind: "reminder",
    payload: reminderPayload,
    async render(payload, target) {
      const session = await db.session.findUnique({ where: { id: payload.sessionId }, include: { program: true } });
      if (!session) return { skip: "session no longer exists" };
      const program = session.program;
      if (program.remindersPaused) return { skip: PAUSED };
      if (session.startsAt.getTime() !== new Date(payload.startsAt).getTime()) return { skip: "session moved" };
      // After downtime several reminders of one session may be due at once: only the latest goes.
      const untilStart = session.startsAt.getTime() - target.now.getTime();
      const closer = program.reminderOffsets.filter((offset) => offset < payload.offsetMinutes && offset * 60_000 >= untilStart);
      if (closer.length > 0) return { skip: `superseded by the ${Math.min(...closer)}-minute reminder` };
      const { t, locale, timezone } = target;
      const times = sessionTimes(session, program, locale, timezone);
      const body = message()
        .heading(t("reminder.heading", { index: session.index, title: session.title, in: formatDuration(untilStart, locale) }))
        .text(t("reminder.when", times));
      const programTime = programTimeText(t, times);
      if (programTime) body.text(t("reminder.programTime", { time: programTime }));
      if (program.joinUrl) body.text(t("reminder.join"), " ", { text: program.joinUrl, href: program.joinUrl });
      // One tap checks the presser in (/here); before the window opens it says when it will.
      body.action({ kind: "check-in", session: session.index, label: t("participation.here.button") });
      return { message: body.build() };
    },
  });
}

const movedPayload = z.object({ sessionId: z.number().int(), from: z.string(), to: z.string() });

/** Tells a group that a session's time changed. */
export function sessionMovedKind(db: PrismaClient) {
  return defineDeliveryKind({
    kind: "session-moved",
    payload: movedPayload,
    async render(payload, target) {
      const session = await db.session.findUnique({ where: { id: payload.sessionId }, include: { program: true } });
      if (!session) return { skip: "session no longer exists" };
      if (session.startsAt.getTime() !== new Date(payload.to).getTime()) return { skip: "moved again since" };
      const { t, locale, timezone } = target;
      const now = sessionTimes(session, session.program, locale, timezone);
      const before = sessionTimes({ ...session, startsAt: new Date(payload.from) }, session.program, locale, timezone);
      return {
        message: message()
          .heading(t("sessionMoved.heading", { index: session.index, title: session.title }))
          .text(t("sessionMoved.now", now))
          .text(t("sessionMoved.before", before))
          .build(),
      };
    },
  });
}
