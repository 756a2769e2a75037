// Who leads a group, and telling the group when that changes. When the lead leaves (/leave,
// /forgetme) the group is told it has no lead; a coordinator may pick one (/lead), otherwise the
// next member to use a command in the group's channel becomes lead. Every change reaches the
// group's channels through the outbox, rendered in the group's language when it is sent.
import { z } from "zod";
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import { textMessage } from "../core/messages.ts";
import type { Group, Member, Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { defineDeliveryKind, payloadInstant } from "../outbox/kinds.ts";
import type { Outbox } from "../outbox/outbox.ts";
import { audit } from "./audit.ts";

const leadEvent = z.enum(["vacant", "claimed", "appointed"]);
type LeadEvent = z.infer<typeof leadEvent>;

/** One notice per change (what, which group, who, when) and channel. */
export const LEAD_CHANGED = defineDeliveryKind({
  name: "group-lead",
  payload: z.object({
    event: leadEvent,
    groupId: z.number().int(),
    /** Who left (vacant) or who leads now; looked up when sent, so a forgotten person is not named. */
    memberId: z.number().int(),
    at: payloadInstant,
  }),
  key: "group-lead:{event}:{groupId}:{memberId}:{at}:{channelId}",
});

type Transaction = Prisma.TransactionClient;

export class GroupLeadService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
  ) {}

  /**
   * The lead `leaver` is leaving the group: tell it that it has no lead now, in the leaving
   * transaction. Call `committed()` once that transaction is through.
   */
  async vacate(tx: Transaction, groupId: number, leaver: Member): Promise<void> {
    await this.tell(tx, groupId, "vacant", leaver.id);
  }

  /** Wakes the dispatcher for notices enqueued in a transaction that has now committed. */
  committed(): void {
    this.outbox.signalDue();
  }

  /**
   * A member who has just spoken in their group's channel while it has no lead becomes its lead.
   * The pipeline calls it only for a group that had no lead as the command began; it checks
   * again under the group's lock. `member` may be stale (it is read again).
   */
  async claimIfVacant(member: Member, group: Group): Promise<void> {
    if (member.isLead || member.groupId !== group.id) return;
    if ((await this.db.member.count({ where: { groupId: group.id, isLead: true } })) > 0) return;
    const claimed = await this.db.$transaction(async (tx) => {
      // The group row's lock makes two members speaking at once agree on one lead.
      await tx.$queryRaw`SELECT id FROM "Group" WHERE id = ${group.id} FOR UPDATE`;
      const now = await tx.member.findUnique({ where: { id: member.id } });
      if (now?.groupId !== group.id || (await tx.member.count({ where: { groupId: group.id, isLead: true } })) > 0) return false;
      await tx.member.update({ where: { id: member.id }, data: { isLead: true } });
      await audit(tx, { actorMemberId: member.id, action: "group.leadClaimed", targetMemberId: member.id, details: { groupId: group.id } });
      await this.tell(tx, group.id, "claimed", member.id);
      return true;
    });
    if (claimed) this.committed();
  }

  /** A coordinator makes `member` the lead of `group` (the former lead, if any, stays a member). */
  async appoint(actor: Member, group: Group, member: Member): Promise<"appointed" | "already"> {
    if (member.groupId !== group.id) throw new UserError("lead.notInGroup", { name: member.displayName, group: group.name });
    if (member.isLead) return "already";
    await this.db.$transaction(async (tx) => {
      await tx.member.updateMany({ where: { groupId: group.id, isLead: true }, data: { isLead: false } });
      await tx.member.update({ where: { id: member.id }, data: { isLead: true } });
      await audit(tx, { actorMemberId: actor.id, action: "group.leadAppointed", targetMemberId: member.id, details: { groupId: group.id } });
      await this.tell(tx, group.id, "appointed", member.id);
    });
    this.committed();
    return "appointed";
  }

  private async tell(tx: Transaction, groupId: number, event: LeadEvent, memberId: number): Promise<void> {
    const channels = await tx.channel.findMany({ where: { groupId, purpose: "group" }, select: { id: true } });
    const now = this.clock.now();
    await this.outbox.enqueue(
      channels.map((channel) =>
        LEAD_CHANGED.request({ channelId: channel.id, payload: { event, groupId, memberId, at: now.toISOString() }, notBefore: now }),
      ),
      tx,
    );
  }
}

/** The group's notice that its lead changed, in its language. */
export function groupLeadKind(db: PrismaClient) {
  return LEAD_CHANGED.renderWith(async (payload, target) => {
    const member = await db.member.findUnique({ where: { id: payload.memberId } });
    const { t } = target;
    if (payload.event === "vacant") {
      return { message: textMessage(member ? t("lead.notice.vacant", { name: member.displayName }) : t("lead.notice.vacantUnnamed")) };
    }
    if (!member?.isLead || member.groupId !== target.group?.id) return { skip: "no longer the group's lead" };
    return { message: textMessage(t(`lead.notice.${payload.event}`, { name: member.displayName })) };
  });
}
