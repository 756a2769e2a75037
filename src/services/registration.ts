// Groups: registering one in a channel, joining and leaving it, its language and time zone.
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import type { Channel, Group, Member, PrismaClient, Program } from "../generated/prisma/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Locale } from "../i18n/i18n.ts";
import { audit } from "./audit.ts";
import type { GroupLeadService } from "./group-lead.ts";

/** "  Tenants   of  Kreuzberg " and "tenants of kreuzberg" are the same group name. */
export function groupNameKey(name: string): string {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLocaleLowerCase("und");
}

export interface RegistrationRequest {
  program: Program;
  platform: string;
  channelId: string;
  lead: Member;
  name: string;
  organization?: string;
  country?: string;
  locale: Locale;
  timezone: string;
}

export class RegistrationService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly leads: GroupLeadService,
    /** Queues a new group's reminders and nudges that fall due soon. */
    private readonly scheduleGroup: (groupId: number) => Promise<number>,
  ) {}

  /**
   * A channel's binding with its group, and whether that group has a lead: the pipeline reads
   * both in one query on every command (a group without one is claimed by the next member).
   */
  async channel(platform: string, channelId: string): Promise<(Channel & { group: Group | null; groupHasLead: boolean }) | null> {
    const found = await this.db.channel.findUnique({
      where: { platform_platformChannelId: { platform, platformChannelId: channelId } },
      include: { group: { include: { _count: { select: { members: { where: { isLead: true } } } } } } },
    });
    if (!found) return null;
    const { group: groupWithCount, ...channel } = found;
    if (!groupWithCount) return { ...channel, group: null, groupHasLead: false };
    const { _count: leads, ...group } = groupWithCount;
    return { ...channel, group, groupHasLead: leads.members > 0 };
  }

  group(id: number): Promise<Group | null> {
    return this.db.group.findUnique({ where: { id } });
  }

  /** The group the member belongs to in this program (a group of an earlier program is not theirs now). */
  async ownGroup(member: Pick<Member, "groupId">, program: Pick<Program, "id"> | null): Promise<Group | null> {
    if (member.groupId === null || !program) return null;
    const group = await this.group(member.groupId);
    return group?.programId === program.id ? group : null;
  }

  async register(request: RegistrationRequest): Promise<Group> {
    const { program, lead } = request;
    if (this.clock.now() > program.registrationDeadline) {
      throw new UserError("register.closed", { deadline: program.registrationDeadline });
    }
    const bound = await this.channel(request.platform, request.channelId);
    if (bound?.group) throw new UserError("register.channelTaken", { group: bound.group.name });
    // Re-binding it would silently end homework lists, reviews and exports there.
    if (bound?.purpose === "facilitators") throw new UserError("register.facilitatorsChannel");
    if (lead.groupId !== null) {
      const current = await this.db.group.findUnique({ where: { id: lead.groupId } });
      if (current) throw new UserError("register.alreadyInGroup", { group: current.name });
    }
    const nameKey = groupNameKey(request.name);
    const group = await this.create(request, nameKey);
    await this.scheduleGroup(group.id);
    return group;
  }

  private async create(request: RegistrationRequest, nameKey: string): Promise<Group> {
    const { program, lead } = request;
    try {
      return await this.db.$transaction(async (tx) => {
        const group = await tx.group.create({
          data: {
            programId: program.id,
            name: request.name.trim().replace(/\s+/g, " "),
            nameKey,
            organization: request.organization ?? null,
            country: request.country ?? null,
            locale: request.locale,
            timezone: request.timezone,
          },
        });
        await tx.channel.upsert({
          where: { platform_platformChannelId: { platform: request.platform, platformChannelId: request.channelId } },
          create: { platform: request.platform, platformChannelId: request.channelId, purpose: "group", groupId: group.id },
          update: { purpose: "group", groupId: group.id, unreachableAt: null, unreachableReason: null },
        });
        await tx.member.update({ where: { id: lead.id }, data: { groupId: group.id, isLead: true } });
        await audit(tx, { actorMemberId: lead.id, action: "group.registered", details: { groupId: group.id, name: group.name } });
        return group;
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        throw new UserError("register.duplicateName", { name: request.name });
      }
      throw error;
    }
  }

  /** Makes the caller a participant of the group bound to the channel. */
  async join(group: Group, member: Member): Promise<"joined" | "already"> {
    if (member.groupId === group.id) return "already";
    if (member.groupId !== null) {
      const current = await this.db.group.findUnique({ where: { id: member.groupId } });
      if (current) throw new UserError("join.inOtherGroup", { group: current.name });
    }
    await this.db.member.update({ where: { id: member.id }, data: { groupId: group.id, isLead: false } });
    return "joined";
  }

  /**
   * Takes the member out of their group. When the lead leaves, the group is told it has no lead:
   * a coordinator may pick one, or the next member to use a command in its channel becomes lead.
   */
  async leave(member: Member): Promise<{ group: Group; wasLead: boolean } | undefined> {
    if (member.groupId === null) return undefined;
    const groupId = member.groupId;
    const group = await this.db.$transaction(async (tx) => {
      const found = await tx.group.findUniqueOrThrow({ where: { id: groupId } });
      await tx.member.update({ where: { id: member.id }, data: { groupId: null, isLead: false } });
      if (member.isLead) await this.leads.vacate(tx, groupId, member);
      return found;
    });
    if (member.isLead) this.leads.committed();
    return { group, wasLead: member.isLead };
  }

  setLanguage(group: Group, locale: Locale): Promise<Group> {
    return this.db.group.update({ where: { id: group.id }, data: { locale } });
  }

  setTimezone(group: Group, timezone: string): Promise<Group> {
    return this.db.group.update({ where: { id: group.id }, data: { timezone } });
  }
}
