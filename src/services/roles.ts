// Granting and revoking the facilitator and coordinator roles. Every change is audited.
import { UserError } from "../core/errors.ts";
import type { Member, PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { audit } from "./audit.ts";
import type { MemberService } from "./members.ts";

export class RoleService {
  constructor(
    private readonly db: PrismaClient,
    private readonly members: MemberService,
  ) {}

  async grant(actor: Member, target: Member, role: Exclude<Role, "participant">): Promise<Member> {
    if (target.role === role) throw new UserError("grant.already", { name: target.displayName, role });
    return this.db.$transaction(async (tx) => {
      const updated = await tx.member.update({ where: { id: target.id }, data: { role } });
      await audit(tx, { actorMemberId: actor.id, action: "role.granted", targetMemberId: target.id, details: { role, previous: target.role } });
      return updated;
    });
  }

  /**
   * Grants a role to someone the bot has not met yet, by their platform id: their row waits for
   * them, and the role applies the moment they first write to the bot.
   */
  async grantInAdvance(actor: Member, person: { platform: string; userId: string }, role: Exclude<Role, "participant">): Promise<Member> {
    return this.db.$transaction(async (tx) => {
      const created = await tx.member.create({ data: { platform: person.platform, platformUserId: person.userId, displayName: person.userId, role } });
      await audit(tx, { actorMemberId: actor.id, action: "role.granted", targetMemberId: created.id, details: { role, previous: "participant", inAdvance: true } });
      return created;
    });
  }

  async revoke(actor: Member, target: Member): Promise<Member> {
    if (target.role === "participant") throw new UserError("revoke.nothing", { name: target.displayName });
    if (target.id === actor.id) throw new UserError("revoke.self");
    if (this.members.isConfiguredCoordinator(target)) throw new UserError("revoke.configured", { name: target.displayName });
    return this.db.$transaction(async (tx) => {
      const updated = await tx.member.update({ where: { id: target.id }, data: { role: "participant" } });
      await audit(tx, { actorMemberId: actor.id, action: "role.revoked", targetMemberId: target.id, details: { previous: target.role } });
      return updated;
    });
  }
}
