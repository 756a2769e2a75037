// Announcements from draft to delivery. A coordinator writes a draft (their own, one at a time),
// adds versions in other languages and narrows the audience; confirming it puts one Delivery per
// channel into the outbox in the same transaction that marks it confirmed, so a double confirm,
// a restart or a second process can never queue or send it twice. Cancelling withdraws a draft,
// or what of a confirmed announcement has not gone out yet.
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import type { Announcement, Member, Prisma, PrismaClient, Program } from "../generated/prisma/client.ts";
import type { Locale } from "../i18n/i18n.ts";
import type { Logger } from "../logger.ts";
import type { Outbox } from "../outbox/outbox.ts";
import { audit } from "../services/audit.ts";
import { groupNameKey } from "../services/registration.ts";
import { closestMatches } from "../text/similarity.ts";
import { ANNOUNCEMENT } from "./announcement-kind.ts";
import { programChannels, selectAudience, unmatchedFilters, type AudienceChannel, type AudienceFilter, type UnmatchedFilter } from "./audience.ts";
import { splitGroupNames } from "./options.ts";
import { AnnouncementReports, type AnnouncementReport } from "./reports.ts";
import { translationsOf } from "./variants.ts";

/** What one /announce changes. Fields left out keep their value (or the default, for a new draft). */
export interface DraftChanges {
  text?: string;
  /** The language `text` is written in: adds or replaces that version of the current draft. */
  lang?: Locale;
  filter?: Partial<AudienceFilter>;
  /** null: as soon as it is confirmed. */
  sendAt?: Date | null;
  allowMassMentions?: boolean;
}

export interface DraftPreview {
  announcement: Announcement;
  audience: AudienceChannel[];
  unmatched: UnmatchedFilter[];
  /** The names of the groups the audience is limited to, if it is. */
  groupNames: string[];
}

export interface Confirmation {
  announcement: Announcement;
  queued: number;
}

export interface Cancellation {
  announcement: Announcement;
  wasDraft: boolean;
  /** Deliveries that were waiting (queued or held by a dispatcher) and now won't go out. */
  cancelled: number;
  /** Deliveries that had already gone out. */
  alreadySent: number;
  /** Deliveries a dispatcher was handing to the platform at that moment: they still arrive. */
  beingSent: number;
}

/** Queued at once, this many rows change the outbox enough to refresh its statistics. */
const BULK_ENQUEUE = 500;

export class AnnouncementService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly logger: Logger,
    readonly reports: AnnouncementReports,
  ) {}

  /** The caller's draft for the program, if they are writing one. */
  draftOf(program: Program, author: Member): Promise<Announcement | null> {
    return this.db.announcement.findFirst({ where: { programId: program.id, authorId: author.id, status: "draft" }, orderBy: { id: "desc" } });
  }

  /**
   * A text without `lang` starts a new draft, replacing the caller's current one; with `lang`
   * it adds or replaces that language's version of the current draft (or starts one in that
   * language). Options change the draft they come with.
   */
  async write(program: Program, author: Member, changes: DraftChanges): Promise<DraftPreview> {
    const current = await this.draftOf(program, author);
    const starts = changes.text !== undefined && (changes.lang === undefined || current === null);
    if (!starts && current === null) throw new UserError("announce.noDraft");
    let announcement: Announcement;
    if (starts) {
      const fresh = {
        defaultText: changes.text!,
        defaultLocale: changes.lang ?? null,
        translations: {},
        languages: changes.filter?.languages ?? [],
        countries: changes.filter?.countries ?? [],
        platforms: changes.filter?.platforms ?? [],
        groupIds: changes.filter?.groupIds ?? [],
        sendAt: changes.sendAt ?? null,
        allowMassMentions: changes.allowMassMentions ?? false,
      };
      announcement = current
        ? await this.db.announcement.update({ where: { id: current.id }, data: fresh })
        : await this.db.announcement.create({ data: { ...fresh, programId: program.id, authorId: author.id } });
    } else {
      announcement = await this.db.announcement.update({
        where: { id: current!.id },
        data: {
          ...this.versionChange(current!, changes),
          ...definedOnly({ ...changes.filter, sendAt: changes.sendAt, allowMassMentions: changes.allowMassMentions }),
        },
      });
    }
    return this.preview(announcement);
  }

  /** The draft as it stands: who it would go to now, and which filters match nobody. */
  async preview(announcement: Announcement): Promise<DraftPreview> {
    const channels = await programChannels(this.db, announcement.programId);
    const filter = filterOf(announcement);
    const groups = announcement.groupIds.length
      ? await this.db.group.findMany({ where: { id: { in: announcement.groupIds } }, select: { name: true }, orderBy: { name: "asc" } })
      : [];
    return {
      announcement,
      audience: selectAudience(channels, filter),
      unmatched: unmatchedFilters(channels, filter),
      groupNames: groups.map((group) => group.name),
    };
  }

  /** Group names as typed ("A;B") to the program's groups; an unknown name is an error with suggestions. */
  async findGroups(program: Program, typed: string): Promise<number[]> {
    const groups = await this.db.group.findMany({ where: { programId: program.id, status: "active" }, select: { id: true, name: true, nameKey: true } });
    const byKey = new Map(groups.map((group) => [group.nameKey, group]));
    const names = splitGroupNames(typed, (name) => byKey.has(groupNameKey(name)));
    return names.map((name) => {
      const group = byKey.get(groupNameKey(name));
      if (group) return group.id;
      const suggestions = closestMatches(name, groups.map((candidate) => ({ value: candidate.name, keys: [candidate.name] })));
      throw new UserError(suggestions.length ? "announce.unknownGroupSuggest" : "announce.unknownGroup", {
        name,
        suggestions: suggestions.join("; "),
      });
    });
  }

  /** Confirms the caller's draft: its deliveries are queued for now or its time, exactly once. */
  async confirm(program: Program, author: Member): Promise<Confirmation> {
    const draft = await this.draftOf(program, author);
    if (!draft) throw new UserError("announce.noDraft");
    const now = this.clock.now();
    if (draft.sendAt && draft.sendAt <= now) throw new UserError("announce.timePassed", { at: draft.sendAt });
    const audience = selectAudience(await programChannels(this.db, program.id), filterOf(draft));
    if (audience.length === 0) throw new UserError("announce.noAudience");
    const notBefore = draft.sendAt ?? now;
    const queued = await this.db.$transaction(async (tx) => {
      // Only one confirmation can move it out of draft; a second one finds nothing to do.
      const moved = await tx.announcement.updateMany({ where: { id: draft.id, status: "draft" }, data: { status: "confirmed", confirmedAt: now } });
      if (moved.count === 0) throw new UserError("announce.alreadyConfirmed", { id: draft.id });
      const count = await this.outbox.enqueue(
        audience.map((channel) => ANNOUNCEMENT.request({ channelId: channel.channelId, payload: { announcementId: draft.id }, notBefore })),
        tx,
      );
      await audit(tx, {
        actorMemberId: author.id,
        action: "announcement.confirmed",
        details: { announcementId: draft.id, channels: count, sendAt: notBefore.toISOString() },
      });
      return count;
    });
    if (queued >= BULK_ENQUEUE) {
      await this.outbox.refreshStatistics().catch((error) => this.logger.warn({ err: error }, "could not refresh the outbox's statistics"));
    }
    if (!draft.sendAt) this.outbox.signalDue();
    return { announcement: { ...draft, status: "confirmed", confirmedAt: now }, queued };
  }

  /**
   * Cancels announcement `id`, or else the caller's draft, or else the program's latest
   * announcement that still has deliveries waiting. Waiting deliveries become cancelled; one
   * being sent at this moment is skipped when its turn comes (see the delivery kind).
   */
  async cancel(program: Program, actor: Member, id?: number): Promise<Cancellation> {
    const target = id !== undefined ? await this.inProgram(program, id) : ((await this.draftOf(program, actor)) ?? (await this.latestWaiting(program)));
    if (!target) throw new UserError("announce.nothingToCancel");
    if (target.status === "cancelled") throw new UserError("announce.alreadyCancelled", { id: target.id });
    const now = this.clock.now();
    const withdraw = async (tx: Prisma.TransactionClient, from: "draft" | "confirmed") => {
      // Only from the state we saw: a cancel racing a confirm or another cancel changes nothing twice.
      const moved = await tx.announcement.updateMany({ where: { id: target.id, status: from }, data: { status: "cancelled", cancelledAt: now } });
      if (moved.count === 0) throw new UserError("announce.alreadyCancelled", { id: target.id });
      return { ...target, status: "cancelled" as const, cancelledAt: now };
    };
    if (target.status === "draft") {
      if (target.authorId !== actor.id) throw new UserError("announce.notYourDraft", { id: target.id });
      return { announcement: await withdraw(this.db, "draft"), wasDraft: true, cancelled: 0, alreadySent: 0, beingSent: 0 };
    }
    const { counts } = await this.reports.tally(target.id);
    if (counts.queued === 0) throw new UserError("announce.alreadyOut", { id: target.id });
    const { announcement, cancelled } = await this.db.$transaction(async (tx) => {
      const announcement = await withdraw(tx, "confirmed");
      const cancelled = await this.outbox.cancel(ANNOUNCEMENT, { announcementId: [target.id] }, "announcement cancelled", tx);
      await audit(tx, { actorMemberId: actor.id, action: "announcement.cancelled", details: { announcementId: target.id, cancelled } });
      return { announcement, cancelled };
    });
    // What was not cancelled had gone out or was being handed to the platform (still queued).
    const after = await this.reports.tally(target.id);
    return { announcement, wasDraft: false, cancelled, alreadySent: after.counts.sent, beingSent: after.counts.queued };
  }

  /** The delivery report of announcement `id`, or of the program's latest one. */
  async report(program: Program, id?: number): Promise<AnnouncementReport | null> {
    const announcement = id !== undefined ? await this.reports.find(id) : await this.reports.latest(program.id);
    if (id !== undefined && (!announcement || announcement.programId !== program.id)) throw new UserError("announce.unknown", { id });
    return announcement ? this.reports.report(announcement) : null;
  }

  private async inProgram(program: Program, id: number): Promise<Announcement> {
    const announcement = await this.db.announcement.findUnique({ where: { id } });
    if (!announcement || announcement.programId !== program.id) throw new UserError("announce.unknown", { id });
    return announcement;
  }

  /** The latest confirmed announcement with deliveries still waiting to go out. */
  private async latestWaiting(program: Program): Promise<Announcement | null> {
    const rows = await this.db.$queryRaw<{ id: number }[]>`
      SELECT a.id FROM "Announcement" a
      WHERE a."programId" = ${program.id} AND a.status = 'confirmed'
        AND EXISTS (SELECT 1 FROM "Delivery" d
                    WHERE d.kind = ${ANNOUNCEMENT.name} AND d.status IN ('pending', 'claimed', 'sending')
                      AND d.payload->>'announcementId' = a.id::text)
      ORDER BY a."confirmedAt" DESC, a.id DESC
      LIMIT 1`;
    return rows[0] ? this.db.announcement.findUnique({ where: { id: rows[0].id } }) : null;
  }

  /** A version in `lang` replaces the default text when that is its language, else adds a translation. */
  private versionChange(current: Announcement, changes: DraftChanges): Prisma.AnnouncementUpdateInput {
    if (changes.text === undefined || changes.lang === undefined) return {};
    if (current.defaultLocale === changes.lang) return { defaultText: changes.text };
    return { translations: { ...translationsOf(current), [changes.lang]: changes.text } };
  }
}

export function filterOf(announcement: Announcement): AudienceFilter {
  return { languages: announcement.languages, countries: announcement.countries, platforms: announcement.platforms, groupIds: announcement.groupIds };
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
