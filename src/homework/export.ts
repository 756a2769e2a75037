// The CSV a facilitator downloads: one row per submission of one assignment, for the groups
// they may see, with localized column names. Times are UTC ("2030-05-20 16:03:00"), which every
// spreadsheet reads as a date; the column names say so.
import { DateTime } from "luxon";
import type { FileAttachment } from "../core/messages.ts";
import type { Group, Program } from "../generated/prisma/client.ts";
import type { Translate } from "../i18n/i18n.ts";
import { spreadsheetSafe, toCsv } from "./csv.ts";
import type { ScheduledAssignment } from "./due.ts";
import { readAttachments, type SubmissionWithPeople } from "./homework-service.ts";
import { linksIn } from "./texts.ts";

const COLUMNS = [
  "id",
  "session",
  "group",
  "organization",
  "country",
  "member",
  "submittedAt",
  "late",
  "version",
  "text",
  "links",
  "attachments",
  "reviewedAt",
  "reviewer",
  "feedback",
] as const;

export function homeworkCsv(
  program: Program,
  scheduled: ScheduledAssignment,
  submissions: readonly (SubmissionWithPeople & { group: Group })[],
  t: Translate,
): FileAttachment {
  const utc = (instant: Date | null) => (instant ? DateTime.fromJSDate(instant, { zone: "UTC" }).toFormat("yyyy-MM-dd HH:mm:ss") : "");
  const rows = submissions.map((submission) => {
    const cells: Record<(typeof COLUMNS)[number], string> = {
      id: String(submission.id),
      session: String(scheduled.session.index),
      group: submission.group.name,
      organization: submission.group.organization ?? "",
      country: submission.group.country ?? "",
      member: submission.member?.displayName ?? t("homework.formerMember"),
      submittedAt: utc(submission.submittedAt),
      late: t(submission.late ? "homework.export.yes" : "homework.export.no"),
      version: String(submission.version),
      text: submission.text,
      links: linksIn(submission.text).join("\n"),
      attachments: readAttachments(submission.attachments).map((file) => `${file.fileName} <${file.url}>`).join("\n"),
      reviewedAt: utc(submission.reviewedAt),
      reviewer: submission.reviewedAt ? (submission.reviewer?.displayName ?? t("homework.formerMember")) : "",
      feedback: submission.feedback ?? "",
    };
    return COLUMNS.map((column) => spreadsheetSafe(cells[column]));
  });
  const header = COLUMNS.map((column) => t(`homework.export.columns.${column}`));
  return {
    fileName: `homework-${program.slug}-session-${scheduled.session.index}.csv`,
    contentType: "text/csv; charset=utf-8",
    data: new TextEncoder().encode(toCsv([header, ...rows], { bom: true })),
  };
}
