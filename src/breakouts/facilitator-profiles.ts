// A facilitator's own declaration of what they can lead: languages, rooms per session, and the
// links of their video rooms (./parallel-rooms.ts says how the two go together). The program file
// can set the same (src/breakouts/program-settings.ts).
import { UserError } from "../core/errors.ts";
import type { FacilitatorProfile, Member, PrismaClient } from "../generated/prisma/client.ts";
import type { Locale } from "../i18n/i18n.ts";
import { audit } from "../services/audit.ts";

export class FacilitatorProfileService {
  constructor(private readonly db: PrismaClient) {}

  get(member: Member): Promise<FacilitatorProfile | null> {
    return this.db.facilitatorProfile.findUnique({ where: { memberId: member.id } });
  }

  /** Sets the languages (first = first language); capacity stays as it was unless given (1 at first). */
  async declare(member: Member, languages: readonly Locale[], capacity: number | undefined): Promise<FacilitatorProfile> {
    const data = { languages: [...new Set(languages)], ...(capacity === undefined ? {} : { capacity }) };
    const profile = await this.db.facilitatorProfile.upsert({
      where: { memberId: member.id },
      create: { memberId: member.id, ...data },
      update: data,
    });
    await audit(this.db, { actorMemberId: member.id, action: "facilitator.declared", details: { languages: profile.languages, capacity: profile.capacity } });
    return profile;
  }

  /** Replaces the links of the facilitator's video rooms (one per room they lead at once; none removes them). */
  async setLinks(member: Member, meetingUrls: readonly string[]): Promise<FacilitatorProfile> {
    const existing = await this.get(member);
    if (!existing) throw new UserError("facilitator.noProfile");
    return this.db.facilitatorProfile.update({ where: { id: existing.id }, data: { meetingUrls: [...new Set(meetingUrls)] } });
  }
}
