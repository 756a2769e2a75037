// How far an announcement has got: its Delivery rows counted by outcome, per platform, with the
// reasons of the failures. Read-only; used by /announce status and by the CLI, which polls it to
// draw a progress bar.
import type { Clock } from "../clock.ts";
import type { Announcement, Member, PrismaClient, Program } from "../generated/prisma/client.ts";
import { ANNOUNCEMENT } from "./announcement-kind.ts";

export interface StatusCounts {
  /** Waiting for their time, a rate limit or a retry, or being sent right now. */
  queued: number;
  sent: number;
  failed: number;
  /** Not sent on purpose when their turn came (the announcement was cancelled meanwhile). */
  skipped: number;
  cancelled: number;
}

/** The outcomes in the order reports list them. */
export const OUTCOMES = ["sent", "queued", "failed", "skipped", "cancelled"] as const satisfies readonly (keyof StatusCounts)[];

export type AnnouncementState = "draft" | "scheduled" | "sending" | "done" | "cancelled";

export type AnnouncementWithContext = Announcement & { program: Program; author: Member | null };

export interface AnnouncementReport {
  announcement: AnnouncementWithContext;
  state: AnnouncementState;
  total: number;
  counts: StatusCounts;
  /** By platform, in name order. */
  platforms: { platform: string; total: number; counts: StatusCounts }[];
  /** Why deliveries failed, most frequent first. */
  failures: { reason: string; count: number }[];
}

export interface AnnouncementSummary {
  announcement: AnnouncementWithContext;
  state: AnnouncementState;
  total: number;
  counts: StatusCounts;
}

interface CountRow {
  platform: string;
  status: string;
  reason: string | null;
  count: number;
}

const FINISHED: readonly AnnouncementState[] = ["draft", "done", "cancelled"];

/** Nothing more will happen to it: watching can stop. */
export function isFinished(state: AnnouncementState): boolean {
  return FINISHED.includes(state);
}

function emptyCounts(): StatusCounts {
  return { queued: 0, sent: 0, failed: 0, skipped: 0, cancelled: 0 };
}

/** The Delivery statuses as the report counts them (pending, claimed and sending are all still queued). */
function addTo(counts: StatusCounts, status: string, count: number): void {
  if (status === "pending" || status === "claimed" || status === "sending") counts.queued += count;
  else if (status === "sent" || status === "failed" || status === "skipped" || status === "cancelled") counts[status] += count;
}

export function totalOf(counts: StatusCounts): number {
  return counts.queued + counts.sent + counts.failed + counts.skipped + counts.cancelled;
}

export class AnnouncementReports {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
  ) {}

  find(id: number): Promise<AnnouncementWithContext | null> {
    return this.db.announcement.findUnique({ where: { id }, include: { program: true, author: true } });
  }

  /** The program's most recently confirmed announcement (sent, sending, scheduled or cancelled since). */
  latest(programId?: number): Promise<AnnouncementWithContext | null> {
    return this.db.announcement.findFirst({
      where: { confirmedAt: { not: null }, ...(programId === undefined ? {} : { programId }) },
      orderBy: [{ confirmedAt: "desc" }, { id: "desc" }],
      include: { program: true, author: true },
    });
  }

  async report(announcement: AnnouncementWithContext): Promise<AnnouncementReport> {
    const { counts, platforms, failures } = await this.tally(announcement.id);
    return { announcement, state: this.state(announcement, counts), total: totalOf(counts), counts, platforms, failures };
  }

  /** The announcement's deliveries counted by outcome, overall and per platform. */
  async tally(announcementId: number): Promise<Pick<AnnouncementReport, "counts" | "platforms" | "failures">> {
    const rows = await this.db.$queryRaw<CountRow[]>`
      SELECT c.platform, d.status::text AS status,
             CASE WHEN d.status = 'failed' THEN d."lastError" END AS reason,
             count(*)::int AS count
      FROM "Delivery" d
      JOIN "Channel" c ON c.id = d."channelId"
      WHERE d.kind = ${ANNOUNCEMENT.name} AND d.payload->>'announcementId' = ${String(announcementId)}
      GROUP BY 1, 2, 3`;
    const counts = emptyCounts();
    const byPlatform = new Map<string, StatusCounts>();
    const failures = new Map<string, number>();
    for (const row of rows) {
      addTo(counts, row.status, row.count);
      if (!byPlatform.has(row.platform)) byPlatform.set(row.platform, emptyCounts());
      addTo(byPlatform.get(row.platform)!, row.status, row.count);
      const reason = row.reason ?? "unknown";
      if (row.status === "failed") failures.set(reason, (failures.get(reason) ?? 0) + row.count);
    }
    return {
      counts,
      platforms: [...byPlatform]
        .sort(([left], [right]) => left.localeCompare(right))
        .map(([platform, platformCounts]) => ({ platform, total: totalOf(platformCounts), counts: platformCounts })),
      failures: [...failures].map(([reason, count]) => ({ reason, count })).sort((left, right) => right.count - left.count),
    };
  }

  /** Every announcement, newest first, with its counts (the CLI's list). */
  async list(limit = 50): Promise<AnnouncementSummary[]> {
    const announcements = await this.db.announcement.findMany({ orderBy: { id: "desc" }, take: limit, include: { program: true, author: true } });
    if (announcements.length === 0) return [];
    const ids = announcements.map((announcement) => String(announcement.id));
    const rows = await this.db.$queryRaw<{ id: string; status: string; count: number }[]>`
      SELECT d.payload->>'announcementId' AS id, d.status::text AS status, count(*)::int AS count
      FROM "Delivery" d
      WHERE d.kind = ${ANNOUNCEMENT.name} AND d.payload->>'announcementId' = ANY(${ids})
      GROUP BY 1, 2`;
    return announcements.map((announcement) => {
      const counts = emptyCounts();
      for (const row of rows) if (row.id === String(announcement.id)) addTo(counts, row.status, row.count);
      return { announcement, state: this.state(announcement, counts), total: totalOf(counts), counts };
    });
  }

  private state(announcement: Announcement, counts: StatusCounts): AnnouncementState {
    if (announcement.status === "draft" || announcement.status === "cancelled") return announcement.status;
    if (counts.queued === 0) return "done";
    return announcement.sendAt && announcement.sendAt > this.clock.now() ? "scheduled" : "sending";
  }
}
