// Groups: registering one in a channel, joining and leaving it, its language and time zone.
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import type { Channel, Group, Member, PrismaClient, Program } from "../generated/prisma/client.ts";
import { Prisma } from "../generated/prisma/client.ts";
import type { Locale } from "../i18n/i18n.ts";
import { audit } from "./audit.ts";

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
    /** Queues a new group's reminders and nudges that fall due soon. */
    private readonly scheduleGroup: (groupId: number) => Promise<number>,
  ) {}

  channel(platform: string, channelId: string): Promise<(Channel & { group: Group | null }) | null> {
    return this.db.channel.findUnique({
      where: { platform_platformChannelId: { platform, platformChannelId: channelId } },
      include: { group: true },
    });
  }

  group(id: number): Promise<Group | null> {
    return this.db.group.findUnique({ where: { id } });
  }

  async register(request: RegistrationRequest): Promise<Group> {
    const { program, lead } = request;
    if (this.clock.now() > program.registrationDeadline) {
      throw new UserError("register.closed", { deadline: program.registrationDeadline });
    }
    const bound = await this.channel(request.platform, request.channelId);
    if (bound?.group) throw new UserError("register.channelTaken", { group: bound.group.name });
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
   * Takes the caller out of their group. When the lead leaves, the longest-standing member
   * becomes lead, so a group never ends up with nobody who can manage it.
   */
  async leave(member: Member): Promise<{ group: Group; newLead?: Member } | undefined> {
    if (member.groupId === null) return undefined;
    const groupId = member.groupId;
    return this.db.$transaction(async (tx) => {
      const group = await tx.group.findUniqueOrThrow({ where: { id: groupId } });
      await tx.member.update({ where: { id: member.id }, data: { groupId: null, isLead: false } });
      if (!member.isLead) return { group };
      const successor = await tx.member.findFirst({ where: { groupId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
      if (!successor) return { group };
      const newLead = await tx.member.update({ where: { id: successor.id }, data: { isLead: true } });
      await audit(tx, { actorMemberId: member.id, action: "group.leadHandedOver", targetMemberId: newLead.id, details: { groupId } });
      return { group, newLead };
    });
  }

  setLanguage(group: Group, locale: Locale): Promise<Group> {
    return this.db.group.update({ where: { id: group.id }, data: { locale } });
  }

  setTimezone(group: Group, timezone: string): Promise<Group> {
    return this.db.group.update({ where: { id: group.id }, data: { timezone } });
  }
}
