// Who looks after whose homework: coordinators link facilitators to groups (/facilitate), and
// facilitators work in channels bound for them (/bind facilitators). A facilitator sees the
// homework of their groups; a coordinator sees every group's.
import { UserError } from "../core/errors.ts";
import type { Group, Member, PrismaClient, Program } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { audit } from "../services/audit.ts";
import { groupNameKey } from "../services/registration.ts";
import { closestMatches } from "../text/similarity.ts";

export class FacilitationService {
  constructor(private readonly db: PrismaClient) {}

  /** The active program's group with this name, or a UserError suggesting the closest names. */
  async findGroup(program: Program, name: string): Promise<Group> {
    const group = await this.db.group.findUnique({ where: { programId_nameKey: { programId: program.id, nameKey: groupNameKey(name) } } });
    if (group) return group;
    const groups = await this.db.group.findMany({ where: { programId: program.id }, select: { name: true } });
    const suggestions = closestMatches(name, groups.map((candidate) => ({ value: candidate.name, keys: [candidate.name] })));
    throw new UserError(suggestions.length > 0 ? "facilitate.unknownGroupSuggest" : "facilitate.unknownGroup", {
      name,
      suggestions: suggestions.map((suggestion) => `“${suggestion}”`).join(", "),
    });
  }

  /** Makes `facilitator` (a facilitator or coordinator) look after `group`. */
  async link(actor: Member, facilitator: Member, facilitatorRole: Role, group: Group): Promise<"linked" | "already"> {
    if (facilitatorRole === "participant") throw new UserError("facilitate.notFacilitator", { name: facilitator.displayName });
    const key = { groupId_memberId: { groupId: group.id, memberId: facilitator.id } };
    if (await this.db.groupFacilitator.findUnique({ where: key })) return "already";
    await this.db.$transaction(async (tx) => {
      await tx.groupFacilitator.upsert({ where: key, create: { groupId: group.id, memberId: facilitator.id }, update: {} });
      await audit(tx, { actorMemberId: actor.id, action: "facilitator.linked", targetMemberId: facilitator.id, details: { groupId: group.id } });
    });
    return "linked";
  }

  async unlink(actor: Member, facilitator: Member, group: Group): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const removed = await tx.groupFacilitator.deleteMany({ where: { groupId: group.id, memberId: facilitator.id } });
      if (removed.count === 0) throw new UserError("unfacilitate.notLinked", { name: facilitator.displayName, group: group.name });
      await audit(tx, { actorMemberId: actor.id, action: "facilitator.unlinked", targetMemberId: facilitator.id, details: { groupId: group.id } });
    });
  }

  async facilitates(member: Member, groupId: number): Promise<boolean> {
    return (await this.db.groupFacilitator.count({ where: { groupId, memberId: member.id } })) > 0;
  }

  /** The program's groups whose homework this caller may read: all for a coordinator, else those they facilitate. */
  visibleGroups(program: Program, caller: Member, role: Role): Promise<Group[]> {
    return this.db.group.findMany({
      where: { programId: program.id, ...(role === "coordinator" ? {} : { facilitators: { some: { memberId: caller.id } } }) },
      orderBy: [{ name: "asc" }, { id: "asc" }],
    });
  }

  /** Binds a channel as a facilitators' channel (where homework is listed, reviewed, exported). */
  async bindFacilitatorChannel(actor: Member, platform: string, channelId: string): Promise<"bound" | "already"> {
    const where = { platform_platformChannelId: { platform, platformChannelId: channelId } };
    const existing = await this.db.channel.findUnique({ where, include: { group: true } });
    if (existing?.purpose === "facilitators") return "already";
    if (existing?.group) throw new UserError("bind.groupChannel", { group: existing.group.name });
    if (existing && existing.purpose !== "group") throw new UserError("bind.otherPurpose", { purpose: existing.purpose });
    await this.db.$transaction(async (tx) => {
      const channel = await tx.channel.upsert({
        where,
        create: { platform, platformChannelId: channelId, purpose: "facilitators" },
        update: { purpose: "facilitators", groupId: null, unreachableAt: null, unreachableReason: null },
      });
      await audit(tx, { actorMemberId: actor.id, action: "channel.bound", details: { channelId: channel.id, purpose: "facilitators" } });
    });
    return "bound";
  }

  async unbindFacilitatorChannel(actor: Member, platform: string, channelId: string): Promise<void> {
    const channel = await this.db.channel.findUnique({ where: { platform_platformChannelId: { platform, platformChannelId: channelId } } });
    if (channel?.purpose !== "facilitators") throw new UserError("unbind.notBound");
    await this.db.$transaction(async (tx) => {
      await tx.channel.delete({ where: { id: channel.id } });
      await audit(tx, { actorMemberId: actor.id, action: "channel.unbound", details: { channelId: channel.id, purpose: "facilitators" } });
    });
  }
}
