// Homework: the program's assignments and their due times, members' submissions (one current
// one per member and assignment; late after the due time), what facilitators see of their
// groups, and reviews, whose feedback goes to the group's channel through the outbox.
import { z } from "zod";
import type { Clock } from "../clock.ts";
import { attachmentSchema } from "../core/incoming.ts";
import { UserError } from "../core/errors.ts";
import { Prisma, type Group, type HomeworkSubmission, type Member, type PrismaClient, type Program } from "../generated/prisma/client.ts";
import type { Locale } from "../i18n/i18n.ts";
import type { Outbox } from "../outbox/outbox.ts";
import { audit } from "../services/audit.ts";
import { currentAssignment, scheduleAssignments, type ScheduledAssignment } from "./due.ts";
import { HOMEWORK_FEEDBACK } from "./feedback.ts";
import { readTexts, type AssignmentTexts } from "./program-settings.ts";

/** The longest submission text, in characters: as much as one incoming command carries. */
export const MAX_SUBMISSION_TEXT = 4000;
/** The longest review feedback, in characters. */
export const MAX_FEEDBACK_TEXT = 2000;

/**
 * A platform's own lasting reference to a file it keeps, "<platform>-file:<id>", from adapters
 * whose platform has no lasting web link for it (Telegram's download links expire and carry the
 * bot's token). Recorded and exported as is; adapters make links of web links only.
 */
const FILE_REFERENCE = /^[a-z]{2,20}-file:[\w-]{1,1000}$/;

/** An attachment as recorded: a web link, or a platform's file reference. */
export const submissionAttachmentSchema = attachmentSchema.extend({ url: z.union([z.url({ protocol: /^https?$/ }), z.string().regex(FILE_REFERENCE)]) });
export type SubmissionAttachment = z.infer<typeof submissionAttachmentSchema>;

export type SubmissionWithPeople = HomeworkSubmission & { member: Member | null; reviewer: Member | null };

export interface SubmitOutcome {
  submission: HomeworkSubmission;
  /** The submission this one replaced, if any. */
  replaced: HomeworkSubmission | null;
}

export interface GroupStatus {
  mine: HomeworkSubmission | null;
  /** Current members of the group who have submitted. */
  submitted: number;
  members: number;
}

export interface GroupHomework {
  group: Group;
  submissions: SubmissionWithPeople[];
  /** Current members who have not submitted. */
  missing: Member[];
}

export class HomeworkService {
  constructor(
    private readonly db: PrismaClient,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
  ) {}

  /** The program's assignments in session order, with their due times. */
  async scheduled(program: Program): Promise<ScheduledAssignment[]> {
    const sessions = await this.db.session.findMany({ where: { programId: program.id }, include: { homework: true } });
    return scheduleAssignments(program, sessions);
  }

  /** Session `index`'s assignment, or (no index) the one due next, else the latest. */
  async assignment(program: Program, index?: number): Promise<ScheduledAssignment> {
    const scheduled = await this.scheduled(program);
    if (index === undefined) {
      const current = currentAssignment(scheduled, this.clock.now());
      if (!current) throw new UserError("homework.noneInProgram", { program: program.title });
      return current;
    }
    const found = scheduled.find((entry) => entry.session.index === index);
    if (found) return found;
    const count = await this.db.session.count({ where: { programId: program.id } });
    if (index > count) throw new UserError("session.unknown", { index, count });
    throw new UserError("homework.noAssignment", { index });
  }

  /** Sets one language's text of session `index`'s assignment (creating the assignment if needed). */
  async setText(program: Program, index: number, locale: Locale, text: string, actor: Member): Promise<{ texts: AssignmentTexts; created: boolean }> {
    const session = await this.db.session.findUnique({ where: { programId_index: { programId: program.id, index } }, include: { homework: true } });
    if (!session) throw new UserError("session.unknown", { index, count: await this.db.session.count({ where: { programId: program.id } }) });
    const texts: AssignmentTexts = { ...readTexts(session.homework?.texts), [locale]: text };
    await this.db.$transaction(async (tx) => {
      await tx.homeworkAssignment.upsert({ where: { sessionId: session.id }, create: { sessionId: session.id, texts }, update: { texts } });
      await audit(tx, { actorMemberId: actor.id, action: "homework.assignmentSet", details: { sessionId: session.id, locale } });
    });
    return { texts, created: !session.homework };
  }

  /**
   * Records `member`'s submission for `group`. One current submission per member and
   * assignment: submitting again replaces it (and its review, which was about the old text).
   * At or after the due time it is accepted and marked late.
   */
  async submit(input: { scheduled: ScheduledAssignment; group: Group; member: Member; text: string; attachments: SubmissionAttachment[] }): Promise<SubmitOutcome> {
    const now = this.clock.now();
    const assignmentId = input.scheduled.assignment.id;
    const data = {
      groupId: input.group.id,
      text: input.text,
      attachments: input.attachments as Prisma.InputJsonArray,
      submittedAt: now,
      late: now >= input.scheduled.dueAt,
    };
    const attempt = () =>
      this.db.$transaction(async (tx) => {
        const previous = await tx.homeworkSubmission.findFirst({ where: { assignmentId, memberId: input.member.id } });
        if (!previous) return { submission: await tx.homeworkSubmission.create({ data: { ...data, assignmentId, memberId: input.member.id } }), replaced: null };
        const submission = await tx.homeworkSubmission.update({
          where: { id: previous.id },
          data: { ...data, version: { increment: 1 }, feedback: null, reviewedAt: null, reviewerId: null },
        });
        return { submission, replaced: previous };
      });
    try {
      return await attempt();
    } catch (error) {
      // The same person submitting twice at once: the other one created the row; replace it.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return attempt();
      throw error;
    }
  }

  /** Whether `member` and their group have submitted for the assignment. */
  async status(assignmentId: number, group: Group, member: Member | null): Promise<GroupStatus> {
    const [mine, submitted, members] = await Promise.all([
      member ? this.db.homeworkSubmission.findFirst({ where: { assignmentId, memberId: member.id } }) : null,
      this.db.homeworkSubmission.count({ where: { assignmentId, member: { groupId: group.id } } }),
      this.db.member.count({ where: { groupId: group.id } }),
    ]);
    return { mine, submitted, members };
  }

  /** Each group's submissions (oldest first) and the members still missing. */
  async overview(assignmentId: number, groups: readonly Group[]): Promise<GroupHomework[]> {
    const groupIds = groups.map((group) => group.id);
    const [submissions, members] = await Promise.all([
      this.db.homeworkSubmission.findMany({
        where: { assignmentId, groupId: { in: groupIds } },
        include: { member: true, reviewer: true },
        orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
      }),
      this.db.member.findMany({ where: { groupId: { in: groupIds } }, orderBy: [{ displayName: "asc" }, { id: "asc" }] }),
    ]);
    return groups.map((group) => {
      const own = submissions.filter((submission) => submission.groupId === group.id);
      const submitters = new Set(own.map((submission) => submission.memberId));
      return { group, submissions: own, missing: members.filter((member) => member.groupId === group.id && !submitters.has(member.id)) };
    });
  }

  /**
   * Records a review of submission `id` and queues the feedback for the submitter's group
   * channel(s), in one transaction. A submission outside `visibleGroupIds` reads as unknown, so
   * a facilitator learns nothing about other groups' homework.
   */
  async review(id: number, feedback: string, reviewer: Member, visibleGroupIds: ReadonlySet<number>): Promise<{ submission: SubmissionWithPeople; group: Group; channels: number }> {
    const submission = await this.db.homeworkSubmission.findUnique({ where: { id }, include: { group: true } });
    if (!submission || !visibleGroupIds.has(submission.groupId)) throw new UserError("homework.review.unknown", { id });
    const reviewedAt = this.clock.now();
    const channels = await this.db.channel.findMany({
      where: { groupId: submission.groupId, purpose: "group", unreachableAt: null },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    const updated = await this.db.$transaction(async (tx) => {
      const saved = await tx.homeworkSubmission.update({
        where: { id },
        data: { feedback, reviewedAt, reviewerId: reviewer.id },
        include: { member: true, reviewer: true },
      });
      await audit(tx, { actorMemberId: reviewer.id, action: "homework.reviewed", targetMemberId: submission.memberId, details: { submissionId: id } });
      await this.outbox.enqueue(
        channels.map((channel) =>
          HOMEWORK_FEEDBACK.request({ channelId: channel.id, payload: { submissionId: id, reviewedAt: reviewedAt.toISOString() }, notBefore: reviewedAt }),
        ),
        tx,
      );
      return saved;
    });
    this.outbox.signalDue();
    return { submission: updated, group: submission.group, channels: channels.length };
  }

  /** Every submission of the assignment from these groups, with people, for the CSV export. */
  submissionsOf(assignmentId: number, groups: readonly Group[]): Promise<(SubmissionWithPeople & { group: Group })[]> {
    return this.db.homeworkSubmission.findMany({
      where: { assignmentId, groupId: { in: groups.map((group) => group.id) } },
      include: { member: true, reviewer: true, group: true },
      orderBy: [{ group: { name: "asc" } }, { submittedAt: "asc" }, { id: "asc" }],
    });
  }
}

/** The stored attachments, tolerating anything unexpected in the column (it is JSON). */
export function readAttachments(value: unknown): SubmissionAttachment[] {
  const parsed = z.array(z.unknown()).safeParse(value);
  if (!parsed.success) return [];
  return parsed.data.flatMap((entry) => {
    const attachment = submissionAttachmentSchema.safeParse(entry);
    return attachment.success ? [attachment.data] : [];
  });
}
