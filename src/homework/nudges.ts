// Homework nudges: a while before an assignment is due (Program.homeworkNudgeMinutes, default
// 24 h; null turns them off), each group that has not submitted gets one reminder in its
// channel. The planner queues them shortly ahead; the kind re-checks at send time, so a group
// that submits meanwhile, a moved deadline or nudges turned off mean no message.
import { DateTime } from "luxon";
import { z } from "zod";
import type { Clock } from "../clock.ts";
import { message } from "../core/messages.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { defineDeliveryKind, payloadInstant } from "../outbox/kinds.ts";
import type { Outbox } from "../outbox/outbox.ts";
import { formatDateTime } from "../time/format.ts";
import { formatDuration } from "../time/relative.ts";
import { scheduleAssignments, type ScheduledAssignment } from "./due.ts";
import { readTexts } from "./program-settings.ts";
import { assignmentText, linkSpans } from "./texts.ts";
import { sessionTitle } from "../programs/session-titles.ts";

/** Nudges are queued this long before they are due; the scheduler plans every minute. */
export const NUDGE_HORIZON_MS = 60 * 60_000;

/** One nudge per assignment, group and due time: a deadline that moves gets a fresh one. */
export const HOMEWORK_NUDGE = defineDeliveryKind({
  name: "homework-nudge",
  payload: z.object({ assignmentId: z.number().int(), groupId: z.number().int(), dueAt: payloadInstant }),
  key: "homework-nudge:{assignmentId}:{groupId}:{dueAt}",
});

export class HomeworkNudgePlanner {
  constructor(
    private readonly db: PrismaClient,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Queues a nudge for every assignment not yet due whose nudge time falls before now +
   * horizon, for every active group with a reachable channel and no submission. Idempotent.
   */
  async enqueueHorizon(options: { horizonMs?: number; groupId?: number } = {}): Promise<number> {
    const now = this.clock.now();
    const until = now.getTime() + (options.horizonMs ?? NUDGE_HORIZON_MS);
    const programs = await this.db.program.findMany({
      where: { homeworkNudgeMinutes: { not: null } },
      include: { sessions: { include: { homework: true } } },
    });
    let inserted = 0;
    for (const program of programs) {
      for (const entry of scheduleAssignments(program, program.sessions)) {
        const nudgeAt = nudgeTime(entry, program.homeworkNudgeMinutes!);
        if (entry.dueAt <= now || nudgeAt.getTime() > until) continue;
        inserted += await this.enqueueFor(program.id, entry, nudgeAt, options.groupId ?? null);
      }
    }
    if (inserted > 0) this.logger.info({ inserted }, "homework nudges enqueued");
    return inserted;
  }

  /** One statement: a row per group without a submission, to its first reachable group channel. */
  private enqueueFor(programId: number, entry: ScheduledAssignment, nudgeAt: Date, onlyGroup: number | null): Promise<number> {
    const assignmentId = entry.assignment.id;
    return this.outbox.enqueueSelect(
      HOMEWORK_NUDGE,
      Prisma.sql`
        SELECT c.id AS "channelId", c.platform,
               jsonb_build_object('assignmentId', ${assignmentId}::int, 'groupId', g.id, 'dueAt', ${entry.dueAt.toISOString()}::text) AS payload,
               ${nudgeAt}::timestamptz AS "notBefore", ${entry.dueAt}::timestamptz AS "expiresAt"
        FROM "Group" g
        JOIN LATERAL (
          SELECT id, platform FROM "Channel"
          WHERE "groupId" = g.id AND purpose = 'group' AND "unreachableAt" IS NULL
          ORDER BY id LIMIT 1
        ) c ON true
        WHERE g."programId" = ${programId} AND g.status = 'active' AND (${onlyGroup}::int IS NULL OR g.id = ${onlyGroup}::int)
          AND NOT EXISTS (SELECT 1 FROM "HomeworkSubmission" s WHERE s."assignmentId" = ${assignmentId} AND s."groupId" = g.id)`,
    );
  }
}

function nudgeTime(entry: ScheduledAssignment, minutesBefore: number): Date {
  return DateTime.fromJSDate(entry.dueAt).minus({ minutes: minutesBefore }).toJSDate();
}

export function homeworkNudgeKind(db: PrismaClient) {
  return HOMEWORK_NUDGE.renderWith(async (payload, target) => {
    const assignment = await db.homeworkAssignment.findUnique({
      where: { id: payload.assignmentId },
      include: { session: { include: { program: { include: { sessions: { include: { homework: true } } } } } } },
    });
    if (!assignment) return { skip: "assignment no longer exists" };
    const program = assignment.session.program;
    if (program.homeworkNudgeMinutes === null) return { skip: "homework nudges are off for the program" };
    const entry = scheduleAssignments(program, program.sessions).find((candidate) => candidate.assignment.id === assignment.id);
    if (!entry || entry.dueAt.getTime() !== new Date(payload.dueAt).getTime()) return { skip: "due time moved" };
    if (!target.group || target.group.id !== payload.groupId || target.group.status !== "active") return { skip: "channel no longer bound to the group" };
    if (await db.homeworkSubmission.count({ where: { assignmentId: assignment.id, groupId: payload.groupId } })) return { skip: "the group has submitted" };
    const { t, locale, timezone } = target;
    const { session } = entry;
    const text = assignmentText(readTexts(assignment.texts), locale, program.defaultLocale);
    const body = message()
      .heading(t("homework.nudge.heading", { index: session.index, title: sessionTitle(session, locale), in: formatDuration(entry.dueAt.getTime() - target.now.getTime(), locale) }))
      .text(t("homework.due", { due: formatDateTime(entry.dueAt, locale, timezone) }));
    if (text) body.text(...linkSpans(text));
    body.text(t("homework.nudge.nobodyYet", { group: target.group.name }));
    return { message: body.build() };
  });
}
