// Everything the bot holds about one person, as the JSON file /mydata (and a coordinator's
// /datafor) sends them: who they are on their platform, their group, their homework and the
// feedback on it, the reviews they wrote, their breakout rooms, attendance, the structure tests
// they recorded, facilitator profile, announcements, the audit entries that name them and the messages still waiting that will.
// Keys are English and stable, so the file reads the same whatever the reader's language.
import type { Member, PrismaClient } from "../generated/prisma/client.ts";
import { readAttachments } from "../homework/homework-service.ts";

export interface PersonalDataFile {
  fileName: string;
  data: Record<string, unknown>;
}

export async function collectPersonalData(db: PrismaClient, member: Member, now: Date): Promise<PersonalDataFile> {
  const [group, submissions, reviews, seats, roomsLed, profile, facilitated, announcements, audit, checkIns, tests] = await Promise.all([
    member.groupId === null ? null : db.group.findUnique({ where: { id: member.groupId }, include: { program: { select: { title: true } } } }),
    db.homeworkSubmission.findMany({
      where: { memberId: member.id },
      include: { assignment: { include: { session: { include: { program: { select: { title: true } } } } } }, group: { select: { name: true } } },
      orderBy: { submittedAt: "asc" },
    }),
    db.homeworkSubmission.findMany({ where: { reviewerId: member.id }, select: { id: true, feedback: true, reviewedAt: true }, orderBy: { reviewedAt: "asc" } }),
    db.breakoutSeat.findMany({ where: { memberId: member.id }, include: { room: { include: { round: { include: { session: true } } } } }, orderBy: { id: "asc" } }),
    db.breakoutRoom.findMany({ where: { facilitatorId: member.id }, include: { round: { include: { session: true } } }, orderBy: { id: "asc" } }),
    db.facilitatorProfile.findUnique({ where: { memberId: member.id } }),
    db.groupFacilitator.findMany({ where: { memberId: member.id }, include: { group: { select: { name: true } } } }),
    db.announcement.findMany({ where: { authorId: member.id }, orderBy: { id: "asc" } }),
    db.auditEntry.findMany({ where: { OR: [{ actorMemberId: member.id }, { targetMemberId: member.id }] }, orderBy: { at: "asc" } }),
    db.checkIn.findMany({ where: { memberId: member.id }, include: { session: { include: { program: { select: { title: true } } } }, group: { select: { name: true } } }, orderBy: { checkedInAt: "asc" } }),
    db.structureTest.findMany({ where: { recordedById: member.id }, include: { group: { select: { name: true } } }, orderBy: { recordedAt: "asc" } }),
  ]);
  // Feedback on their homework still waiting to be posted names them when it goes out.
  const waiting = await db.delivery.findMany({
    where: { kind: "homework-feedback", status: { in: ["pending", "claimed", "sending"] }, OR: submissions.map((submission) => ({ payload: { path: ["submissionId"], equals: submission.id } })) },
    select: { kind: true, notBefore: true },
  });
  const session = (value: { index: number; title: string }) => ({ number: value.index, title: value.title });
  const data = {
    exportedAt: now.toISOString(),
    person: {
      platform: member.platform,
      platformUserId: member.platformUserId,
      displayName: member.displayName,
      username: member.username,
      language: member.locale,
      role: member.role,
      groupLead: member.isLead,
      firstSeen: member.createdAt.toISOString(),
    },
    group: group && {
      name: group.name,
      organization: group.organization,
      country: group.country,
      language: group.locale,
      timezone: group.timezone,
      program: group.program.title,
    },
    homework: submissions.map((submission) => ({
      program: submission.assignment.session.program.title,
      session: session(submission.assignment.session),
      group: submission.group.name,
      submittedAt: submission.submittedAt.toISOString(),
      late: submission.late,
      version: submission.version,
      text: submission.text,
      files: readAttachments(submission.attachments),
      feedback: submission.feedback,
      reviewedAt: submission.reviewedAt?.toISOString() ?? null,
    })),
    reviewsWritten: reviews.map((review) => ({ submission: review.id, feedback: review.feedback, reviewedAt: review.reviewedAt?.toISOString() ?? null })),
    breakoutRooms: [
      ...seats.map((seat) => ({ session: session(seat.room.round.session), room: seat.room.number, language: seat.room.language, as: "participant" })),
      ...roomsLed.map((room) => ({ session: session(room.round.session), room: room.number, language: room.language, as: "facilitator" })),
    ],
    facilitator: profile || facilitated.length > 0
      ? { languages: profile?.languages ?? [], capacity: profile?.capacity ?? null, videoRooms: profile?.meetingUrls ?? [], groups: facilitated.map((link) => link.group.name) }
      : null,
    announcements: announcements.map((announcement) => ({
      number: announcement.id,
      status: announcement.status,
      text: announcement.defaultText,
      translations: announcement.translations,
      createdAt: announcement.createdAt.toISOString(),
    })),
    attendance: checkIns.map((checkIn) => ({
      program: checkIn.session.program.title,
      session: session(checkIn.session),
      group: checkIn.group.name,
      checkedInAt: checkIn.checkedInAt.toISOString(),
      present: checkIn.present,
      late: checkIn.late,
      recordedBy: checkIn.recordedBy,
    })),
    structureTestsRecorded: tests.map((test) => ({
      group: test.group.name,
      name: test.name,
      participants: test.participants,
      unitSize: test.unitSize,
      recordedAt: test.recordedAt.toISOString(),
      corrected: test.supersededById !== null,
    })),
    auditLog: audit.map((entry) => ({ at: entry.at.toISOString(), action: entry.action, you: entry.actorMemberId === member.id ? "did it" : "were concerned", details: entry.details })),
    messagesWaiting: waiting.map((row) => ({ kind: row.kind, due: row.notBefore.toISOString() })),
  };
  return { fileName: `my-data-${member.platform}-${now.toISOString().slice(0, 10)}.json`, data };
}
