// Follow-up after a session, both optional in the program file (participation.followUp):
// - absentNudge: each group with members who did not check in gets one message in its channel;
// - flagBelow: each facilitators' channel gets one message listing the groups whose attendance
//   was below that share, with their facilitators' names.
// The planner queues them once a session has ended (for a day afterwards, so a bot that was down
// catches up); the kinds (absent-nudge.ts, low-participation-flag.ts) re-check at send time.
import type { Clock } from "../clock.ts";
import { Prisma, type PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Outbox } from "../outbox/outbox.ts";
import { PARTICIPATION_ABSENT } from "./absent-nudge.ts";
import { PARTICIPATION_FLAG } from "./low-participation-flag.ts";

/** How long after a session ends its follow-up may still be queued. */
export const FOLLOW_UP_WINDOW_MS = 24 * 3_600_000;

export class ParticipationFollowUpPlanner {
  constructor(
    private readonly db: PrismaClient,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Queues the follow-up of every session that ended within the window. Idempotent (dedupe keys). */
  async enqueueEnded(): Promise<number> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - FOLLOW_UP_WINDOW_MS);
    const ended = Prisma.sql`s."startsAt" + make_interval(mins => s."durationMinutes")`;
    const nudges = await this.outbox.enqueueSelect(
      PARTICIPATION_ABSENT,
      Prisma.sql`
        SELECT c.id AS "channelId", c.platform, jsonb_build_object('sessionId', s.id, 'groupId', g.id) AS payload,
               ${now}::timestamptz AS "notBefore", ${ended} + interval '2 days' AS "expiresAt"
        FROM "Session" s
        JOIN "Program" p ON p.id = s."programId" AND p."absentNudge"
        JOIN "Group" g ON g."programId" = p.id AND g.status = 'active'
        JOIN LATERAL (
          SELECT id, platform FROM "Channel"
          WHERE "groupId" = g.id AND purpose = 'group' AND "unreachableAt" IS NULL
          ORDER BY id LIMIT 1
        ) c ON true
        WHERE ${ended} BETWEEN ${since} AND ${now}
          AND (SELECT count(*) FROM "Member" m WHERE m."groupId" = g.id AND m.role <> 'facilitator')
            > (SELECT count(*) FROM "CheckIn" k WHERE k."sessionId" = s.id AND k."groupId" = g.id AND k.present)`,
    );
    const flags = await this.outbox.enqueueSelect(
      PARTICIPATION_FLAG,
      Prisma.sql`
        SELECT c.id AS "channelId", c.platform, jsonb_build_object('sessionId', s.id) AS payload,
               ${now}::timestamptz AS "notBefore", ${ended} + interval '2 days' AS "expiresAt"
        FROM "Session" s
        JOIN "Program" p ON p.id = s."programId" AND p."flagBelow" IS NOT NULL
        CROSS JOIN "Channel" c
        WHERE c.purpose = 'facilitators' AND c."unreachableAt" IS NULL
          AND ${ended} BETWEEN ${since} AND ${now}`,
    );
    if (nudges + flags > 0) this.logger.info({ nudges, flags }, "participation follow-up enqueued");
    return nudges + flags;
  }
}
