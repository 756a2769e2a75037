// People's data (GDPR): a person's copy of what the bot holds about them, deleting it on their
// request (confirmed within a few minutes) or a coordinator's, and deleting participants' data a
// set time after their program ends (the program file's privacy.deleteAfter).
//
// Deleting a person removes their Member row (name, @handle, platform id, language) and with it
// their breakout seats, facilitator profile and facilitated groups. Their homework submissions go
// too, unless their program keeps submissions (privacy.keepSubmissions): then the text, files and
// feedback stay for the facilitators, linked to the group only, shown as "a former member". Reviews
// they wrote and rooms they led stay without their name ("a facilitator"); their unsent draft
// announcements go, sent ones stay without an author. Audit entries keep the action and lose the
// person. Their check-ins and the structure tests they recorded stay for their group's counts,
// with nothing that points to them (memberId / recordedById become null). Messages still waiting are rendered when sent, from what is left, so none names them.
import type { Clock } from "../clock.ts";
import { UserError } from "../core/errors.ts";
import type { Member, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { audit } from "../services/audit.ts";
import type { RegistrationService } from "../services/registration.ts";
import { collectPersonalData, type PersonalDataFile } from "./personal-data.ts";

/** /forgetme must be confirmed within this long. */
export const FORGET_CONFIRM_MS = 10 * 60_000;
const FORGET_REQUESTED = "privacy.forgetRequested";
const DAY_MS = 86_400_000;

export interface ForgetOutcome {
  submissionsDeleted: number;
  submissionsKept: number;
  /** They led their group, which is now told it has no lead. */
  leftLeadVacant: boolean;
}

export interface PurgeOutcome {
  program: string;
  ended: Date;
  people: number;
}

export class PrivacyService {
  private lastPurge = 0;

  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly registration: RegistrationService,
    private readonly logger: Logger,
  ) {}

  personalData(member: Member): Promise<PersonalDataFile> {
    return collectPersonalData(this.db, member, this.clock.now());
  }

  /** A coordinator looked at someone's data: audited (the action and the coordinator). */
  async personalDataFor(coordinator: Member, member: Member): Promise<PersonalDataFile> {
    await audit(this.db, { actorMemberId: coordinator.id, action: "privacy.exported", targetMemberId: member.id });
    return this.personalData(member);
  }

  /** What deleting would remove: how many submissions go and how many stay. */
  async preview(member: Member): Promise<{ submissionsDeleted: number; submissionsKept: number }> {
    const submissions = await this.submissionsOf(member);
    const kept = submissions.filter((submission) => submission.kept).length;
    return { submissionsDeleted: submissions.length - kept, submissionsKept: kept };
  }

  /** /forgetme: remembered (in the audit log, so any bot process can confirm it) for a few minutes. */
  async requestForget(member: Member): Promise<void> {
    await this.db.auditEntry.create({ data: { at: this.clock.now(), actorMemberId: member.id, action: FORGET_REQUESTED } });
  }

  /** /forgetme confirm: deletes the caller's data if they asked within the last few minutes. */
  async confirmForget(member: Member): Promise<ForgetOutcome> {
    const since = new Date(this.clock.now().getTime() - FORGET_CONFIRM_MS);
    const asked = await this.db.auditEntry.findFirst({ where: { actorMemberId: member.id, action: FORGET_REQUESTED, at: { gte: since } } });
    if (!asked) throw new UserError("forgetme.notRequested", { minutes: FORGET_CONFIRM_MS / 60_000 });
    return this.forget(member, null);
  }

  /**
   * Deletes a person's data; `by` is the coordinator acting on their request (null: themselves,
   * or the retention rule). A lead leaves their group first, which is told it has no lead now.
   */
  async forget(member: Member, by: Member | null, options: { tellGroup?: boolean } = {}): Promise<ForgetOutcome> {
    const left = member.isLead && (options.tellGroup ?? true) ? await this.registration.leave(member) : undefined;
    const submissions = await this.submissionsOf(member);
    const dropped = submissions.filter((submission) => !submission.kept).map((submission) => submission.id);
    await this.db.$transaction(async (tx) => {
      await tx.homeworkSubmission.deleteMany({ where: { id: { in: dropped } } });
      await tx.announcement.deleteMany({ where: { authorId: member.id, status: "draft" } });
      await tx.auditEntry.updateMany({ where: { actorMemberId: member.id }, data: { actorMemberId: null } });
      await tx.auditEntry.updateMany({ where: { targetMemberId: member.id }, data: { targetMemberId: null } });
      // Seats, facilitator profile and facilitated groups cascade; kept submissions, reviews,
      // rooms led, sent announcements, check-ins and structure tests lose the link (onDelete: SetNull).
      await tx.member.deleteMany({ where: { id: member.id } });
      await audit(tx, {
        actorMemberId: by?.id ?? null,
        action: by ? "privacy.forgottenOnRequest" : "privacy.forgotten",
        details: { submissionsDeleted: dropped.length, submissionsKept: submissions.length - dropped.length },
      });
    });
    return { submissionsDeleted: dropped.length, submissionsKept: submissions.length - dropped.length, leftLeadVacant: left?.wasLead ?? false };
  }

  /**
   * The retention rule: for each program whose privacy.deleteAfter has passed since its last
   * session ended, deletes its participants' data (facilitators and coordinators keep their
   * accounts), and that of people in no group who first wrote before it ended. Idempotent.
   */
  async purgeExpired(): Promise<PurgeOutcome[]> {
    const now = this.clock.now();
    const programs = await this.db.program.findMany({ where: { deleteAfterDays: { not: null } }, include: { sessions: true } });
    const outcomes: PurgeOutcome[] = [];
    for (const program of programs) {
      const ended = new Date(Math.max(...program.sessions.map((session) => session.startsAt.getTime() + session.durationMinutes * 60_000)));
      if (program.sessions.length === 0 || now.getTime() < ended.getTime() + program.deleteAfterDays! * DAY_MS) continue;
      const people = await this.db.member.findMany({
        where: { role: "participant", OR: [{ group: { programId: program.id } }, { groupId: null, createdAt: { lt: ended } }] },
      });
      for (const person of people) await this.forget(person, null, { tellGroup: false });
      if (people.length > 0) {
        await audit(this.db, { action: "privacy.purged", details: { programId: program.id, people: people.length, deleteAfterDays: program.deleteAfterDays } });
        this.logger.info({ program: program.slug, people: people.length }, "retention: deleted the personal data of an ended program's participants");
      }
      outcomes.push({ program: program.title, ended, people: people.length });
    }
    return outcomes;
  }

  /** The scheduler's daily run (each process runs it; a second run finds nothing to do). */
  async purgeDaily(): Promise<number> {
    if (Date.now() - this.lastPurge < DAY_MS) return 0;
    this.lastPurge = Date.now();
    return (await this.purgeExpired()).reduce((sum, outcome) => sum + outcome.people, 0);
  }

  private async submissionsOf(member: Member): Promise<{ id: number; kept: boolean }[]> {
    const rows = await this.db.homeworkSubmission.findMany({
      where: { memberId: member.id },
      select: { id: true, assignment: { select: { session: { select: { program: { select: { keepSubmissions: true } } } } } } },
    });
    return rows.map((row) => ({ id: row.id, kept: row.assignment.session.program.keepSubmissions }));
  }
}
