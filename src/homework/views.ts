// Homework as people read it in chat: the assignment with its due time, and the facilitators'
// overview of their groups. Text a user typed goes into plain spans; adapters escape it.
import { message, type MessageBuilder, type Span } from "../core/messages.ts";
import type { Program } from "../generated/prisma/client.ts";
import type { Locale, Translate } from "../i18n/i18n.ts";
import { formatDateTime } from "../time/format.ts";
import { formatDuration } from "../time/relative.ts";
import type { ScheduledAssignment } from "./due.ts";
import { readAttachments, type GroupHomework, type SubmissionWithPeople } from "./homework-service.ts";
import { readTexts } from "./program-settings.ts";
import { assignmentText, excerpt, linkSpans } from "./texts.ts";
import { sessionTitle } from "../programs/session-titles.ts";

/** Characters of each submission the overview shows; the export has all of it. */
const OVERVIEW_EXCERPT = 280;

export interface Reader {
  t: Translate;
  locale: Locale;
  timezone: string;
  now: Date;
}

/** "📚 Homework for session 2, “…”", the text in the reader's language, and when it is due. */
export function assignmentMessage(program: Program, scheduled: ScheduledAssignment, reader: Reader): MessageBuilder {
  const { t, locale } = reader;
  const { session } = scheduled;
  const body = message().heading(t("homework.show.heading", { index: session.index, title: sessionTitle(session, locale) }));
  const text = assignmentText(readTexts(scheduled.assignment.texts), locale, program.defaultLocale);
  if (text) body.text(...linkSpans(text));
  return body.text(dueLine(scheduled, reader));
}

export function dueLine({ dueAt }: ScheduledAssignment, { t, locale, timezone, now }: Reader): string {
  const due = formatDateTime(dueAt, locale, timezone);
  return dueAt > now ? t("homework.dueIn", { due, in: formatDuration(dueAt.getTime() - now.getTime(), locale) }) : t("homework.wasDue", { due });
}

/** Up to this many submissions, the overview shows each one; beyond, one line per group. */
export const OVERVIEW_DETAIL_LIMIT = 30;
/** The most groups the one-line-per-group overview shows (the export has them all). */
export const OVERVIEW_GROUP_LIMIT = 100;

/**
 * The facilitators' overview: per group, who sent what and who hasn't yet. A chat message has
 * to stay readable, so with many submissions it becomes one line per group (and at most
 * OVERVIEW_GROUP_LIMIT of them), pointing to group=<name> and the export.
 */
export function overviewMessage(scheduled: ScheduledAssignment, groups: readonly GroupHomework[], reader: Reader): MessageBuilder {
  const { t, locale } = reader;
  const { session } = scheduled;
  const withSubmissions = groups.filter((entry) => entry.submissions.length > 0).length;
  const total = groups.reduce((sum, entry) => sum + entry.submissions.length, 0);
  const body = message()
    .heading(t("homework.list.heading", { index: session.index, title: sessionTitle(session, locale) }))
    .text(dueLine(scheduled, reader))
    .text(t("homework.list.summary", { total: groups.length, submitted: withSubmissions }));
  const counts = (entry: GroupHomework) => t("homework.list.group", { group: entry.group.name, count: entry.submissions.length, missing: entry.missing.length });
  if (groups.length > 1 && total > OVERVIEW_DETAIL_LIMIT) {
    body.text(t("homework.list.tooMany", { count: total }));
    body.list(groups.slice(0, OVERVIEW_GROUP_LIMIT).map((entry) => [counts(entry)]));
    if (groups.length > OVERVIEW_GROUP_LIMIT) body.text(t("homework.list.moreGroups", { count: groups.length - OVERVIEW_GROUP_LIMIT }));
  } else {
    for (const entry of groups) {
      body.heading(counts(entry));
      body.list(entry.submissions.map((submission) => submissionLine(submission, reader)));
      if (entry.missing.length > 0) body.text(t("homework.list.missingMembers", { names: entry.missing.map((member) => member.displayName).join(", ") }));
    }
  }
  return body.text(t("homework.list.footer"));
}

function submissionLine(submission: SubmissionWithPeople, { t, locale, timezone }: Reader): Span[] {
  const flags = [
    formatDateTime(submission.submittedAt, locale, timezone),
    ...(submission.late ? [t("homework.list.late")] : []),
    ...(submission.reviewedAt ? [t("homework.list.reviewed")] : []),
  ];
  const line: Span[] = [
    { text: `#${submission.id}`, style: "code" },
    " ",
    { text: submission.member?.displayName ?? t("homework.formerMember"), style: "bold" },
    ` · ${flags.join(" · ")}`,
  ];
  if (submission.text) line.push(": ", ...linkSpans(excerpt(submission.text, OVERVIEW_EXCERPT)));
  for (const file of readAttachments(submission.attachments)) line.push(" 📎 ", { text: file.fileName, href: file.url });
  return line;
}
