// People as the bot knows them: created on their first command, kept up to date with the name
// and language their platform reports, found again by id, handle or name.
import type { Member, PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { UserError } from "../core/errors.ts";

export interface Caller {
  platform: string;
  userId: string;
  displayName: string;
  username?: string;
  locale?: string;
}

/** How each platform spells a user id, so "/grant telegram:@ana" is not taken for an id. */
const USER_ID_FORMATS: Record<string, RegExp> = {
  telegram: /^\d{1,20}$/,
  discord: /^\d{15,21}$/,
  slack: /^[UW][A-Z0-9]{2,20}$/,
  console: /^[\w.-]{1,64}$/,
};

/** "telegram:123" as a platform and a well-formed id on it, or undefined. */
export function platformUserReference(reference: string): { platform: string; userId: string } | undefined {
  const match = /^([a-z]+):(.+)$/.exec(reference.trim());
  if (!match) return undefined;
  const [, platform, userId] = match as unknown as [string, string, string];
  return USER_ID_FORMATS[platform]?.test(userId) ? { platform, userId } : undefined;
}

export class MemberService {
  /** Coordinators named in configuration ("platform:userId"). */
  private readonly configuredCoordinators: Set<string>;

  constructor(
    private readonly db: PrismaClient,
    coordinators: readonly { platform: string; userId: string }[] = [],
  ) {
    this.configuredCoordinators = new Set(coordinators.map((entry) => `${entry.platform}:${entry.userId}`));
  }

  isConfiguredCoordinator(member: Pick<Member, "platform" | "platformUserId">): boolean {
    return this.configuredCoordinators.has(`${member.platform}:${member.platformUserId}`);
  }

  /** The role a person acts with: configured coordinators are coordinators whatever their row says. */
  effectiveRole(member: Pick<Member, "platform" | "platformUserId" | "role">): Role {
    return this.isConfiguredCoordinator(member) ? "coordinator" : member.role;
  }

  /** The caller's row, created or refreshed; writes only when something changed. */
  async resolveCaller(caller: Caller): Promise<Member> {
    const where = { platform_platformUserId: { platform: caller.platform, platformUserId: caller.userId } };
    const role: Role | undefined = this.configuredCoordinators.has(`${caller.platform}:${caller.userId}`) ? "coordinator" : undefined;
    const existing = await this.db.member.findUnique({ where });
    if (!existing) {
      return this.db.member.upsert({
        where,
        create: {
          platform: caller.platform,
          platformUserId: caller.userId,
          displayName: caller.displayName,
          username: caller.username ?? null,
          locale: caller.locale ?? null,
          ...(role ? { role } : {}),
        },
        update: {},
      });
    }
    const changes: Partial<Member> = {};
    if (caller.displayName && caller.displayName !== existing.displayName) changes.displayName = caller.displayName;
    if (caller.username && caller.username !== existing.username) changes.username = caller.username;
    if (caller.locale && caller.locale !== existing.locale) changes.locale = caller.locale;
    if (role && existing.role !== role) changes.role = role;
    if (Object.keys(changes).length === 0) return existing;
    return this.db.member.update({ where: { id: existing.id }, data: changes });
  }

  /** Makes sure configured coordinators hold the role even before their first command. */
  async bootstrapCoordinators(): Promise<void> {
    for (const key of this.configuredCoordinators) {
      const [platform, ...rest] = key.split(":");
      const userId = rest.join(":");
      await this.db.member.upsert({
        where: { platform_platformUserId: { platform: platform!, platformUserId: userId } },
        create: { platform: platform!, platformUserId: userId, displayName: userId, role: "coordinator" },
        update: { role: "coordinator" },
      });
    }
  }

  findById(person: { platform: string; userId: string }): Promise<Member | null> {
    return this.db.member.findUnique({ where: { platform_platformUserId: { platform: person.platform, platformUserId: person.userId } } });
  }

  /**
   * Finds a person from what a caller typed: "platform:id", an id or @handle on the caller's
   * platform, or a display name that matches exactly one person there.
   */
  async findByReference(reference: string, callerPlatform: string): Promise<Member> {
    const trimmed = reference.trim();
    const explicit = /^([a-z]+):(.+)$/.exec(trimmed);
    const platform = explicit ? explicit[1]! : callerPlatform;
    const key = (explicit ? explicit[2]! : trimmed).replace(/^@/, "");
    const byId = await this.db.member.findUnique({ where: { platform_platformUserId: { platform, platformUserId: key } } });
    if (byId) return byId;
    const byName = await this.db.member.findMany({
      where: {
        platform,
        OR: [{ username: { equals: key, mode: "insensitive" } }, { displayName: { equals: key, mode: "insensitive" } }],
      },
      take: 2,
    });
    if (byName.length === 1) return byName[0]!;
    if (byName.length > 1) throw new UserError("errors.user.ambiguous", { reference: trimmed });
    throw new UserError("errors.user.unknown", { reference: trimmed });
  }
}
