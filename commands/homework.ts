import { arg, positional } from "../src/core/args.ts";
import { defineCommand, defineGroup } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { message } from "../src/core/messages.ts";
import { homeworkGroup, requireFacilitatorChannel, visibleGroups } from "../src/homework/access.ts";
import { homeworkCsv } from "../src/homework/export.ts";
import { MAX_FEEDBACK_TEXT, MAX_SUBMISSION_TEXT, submissionAttachmentSchema } from "../src/homework/homework-service.ts";
import { assignmentMessage, dueLine, overviewMessage } from "../src/homework/views.ts";
import { formatDateTime } from "../src/time/format.ts";
import { sessionTitle } from "../src/programs/session-titles.ts";

const sessionArg = () => arg.integer({ min: 1, max: 100, autocomplete: "session" });

/** The current homework (or a session's), when it is due, and whether the caller and their group sent it. */
const show = defineCommand({
  name: "show",
  role: "anyone",
  args: { session: positional(sessionArg()) },
  async run(context, args) {
    const program = requireProgram(context);
    const { t, caller, services } = context;
    const group = await homeworkGroup(context, "read", "/homework");
    const scheduled = await services.homework.assignment(program, args.session);
    const inGroup = caller.groupId === group.id;
    const status = await services.homework.status(scheduled.assignment.id, group, inGroup ? caller : null);
    const reader = { t, locale: context.locale, timezone: group.timezone, now: context.clock.now() };
    const body = assignmentMessage(program, scheduled, reader);
    if (inGroup) {
      const mine = status.mine;
      const when = mine ? formatDateTime(mine.submittedAt, context.locale, group.timezone) : "";
      body.text(mine ? t(mine.late ? "homework.show.youLate" : "homework.show.you", { when }) : t("homework.show.youNot"));
    }
    body.text(
      status.submitted > 0
        ? t("homework.show.group", { group: group.name, count: status.submitted, members: status.members })
        : t("homework.show.groupNone", { group: group.name }),
    );
    return body.build();
  },
});

/** Records the caller's homework for their group: text, a link, or an attached file. */
const submit = defineCommand({
  name: "submit",
  role: "anyone",
  freeText: true,
  acceptsAttachments: true,
  privateReply: true,
  args: {
    session: sessionArg(),
    answer: positional(arg.text({ max: MAX_SUBMISSION_TEXT, multiline: true }), { rest: true }),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const { t, locale, services } = context;
    const group = await homeworkGroup(context, "submit", "/homework submit");
    const attachments = (context.incoming.attachments ?? []).map((attachment) => {
      const parsed = submissionAttachmentSchema.safeParse(attachment);
      if (!parsed.success) throw new UserError("homework.submit.badAttachment", { file: attachment.fileName });
      return parsed.data;
    });
    if (!args.answer && attachments.length === 0) throw new UserError("homework.submit.empty");
    const scheduled = await services.homework.assignment(program, args.session);
    const { submission, replaced } = await services.homework.submit({ scheduled, group, member: context.caller, text: args.answer ?? "", attachments });
    const body = message().text(t("homework.submit.done", { name: context.caller.displayName, index: scheduled.session.index, title: sessionTitle(scheduled.session, locale) }));
    if (attachments.length > 0) body.text(t("homework.submit.files", { files: attachments.map((file) => file.fileName).join(", ") }));
    if (replaced) body.text(t("homework.submit.replaced", { when: formatDateTime(replaced.submittedAt, locale, group.timezone) }));
    if (submission.late) body.text(t("homework.submit.late", { due: formatDateTime(scheduled.dueAt, locale, group.timezone) }));
    return body.build();
  },
});

/** Facilitators: their groups' submissions for an assignment (or one group's), with who is still missing. */
const list = defineCommand({
  name: "list",
  role: "facilitator",
  privateReply: true,
  slow: true,
  args: { session: positional(sessionArg()), group: arg.text({ max: 80 }) },
  async run(context, args) {
    requireFacilitatorChannel(context, "/homework list");
    const program = requireProgram(context);
    let groups = await visibleGroups(context);
    if (args.group) {
      const wanted = await context.services.facilitation.findGroup(program, args.group);
      if (!groups.some((group) => group.id === wanted.id)) throw new UserError("homework.list.notYourGroup", { group: wanted.name });
      groups = [wanted];
    }
    if (groups.length === 0) throw new UserError("homework.list.noGroups");
    const scheduled = await context.services.homework.assignment(program, args.session);
    const overview = await context.services.homework.overview(scheduled.assignment.id, groups);
    return overviewMessage(scheduled, overview, { t: context.t, locale: context.locale, timezone: context.timezone, now: context.clock.now() }).build();
  },
});

/** Facilitators: feedback on one submission, sent to the submitter's group channel. */
const review = defineCommand({
  name: "review",
  role: "facilitator",
  freeText: true,
  args: {
    id: positional(arg.integer({ required: true, min: 1, max: 2_147_483_647 })),
    feedback: positional(arg.text({ required: true, max: MAX_FEEDBACK_TEXT, multiline: true }), { rest: true }),
  },
  async run(context, args) {
    requireFacilitatorChannel(context, "/homework review");
    const visible = new Set((await visibleGroups(context)).map((group) => group.id));
    const id = args.id;
    const { submission, group, channels } = await context.services.homework.review(id, args.feedback, context.caller, visible);
    const name = submission.member?.displayName ?? context.t("homework.formerMember");
    return context.t(channels > 0 ? "homework.review.done" : "homework.review.noChannel", { id, name, group: group.name });
  },
});

/** Facilitators: a CSV of their groups' submissions for an assignment. */
const exportCommand = defineCommand({
  name: "export",
  role: "facilitator",
  privateReply: true,
  slow: true,
  args: { session: positional(sessionArg()) },
  async run(context, args) {
    requireFacilitatorChannel(context, "/homework export");
    const program = requireProgram(context);
    const { t } = context;
    const groups = await visibleGroups(context);
    if (groups.length === 0) throw new UserError("homework.list.noGroups");
    const scheduled = await context.services.homework.assignment(program, args.session);
    const submissions = await context.services.homework.submissionsOf(scheduled.assignment.id, groups);
    const { index } = scheduled.session;
    const title = sessionTitle(scheduled.session, context.locale);
    if (submissions.length === 0) return t("homework.export.empty", { index, title });
    return message()
      .text(t("homework.export.done", { count: submissions.length, index, title }))
      .text(dueLine(scheduled, { t, locale: context.locale, timezone: context.timezone, now: context.clock.now() }))
      .attach(homeworkCsv(program, scheduled, submissions, t))
      .build();
  },
});

export default defineGroup({ name: "homework", subcommands: [show, submit, list, review, exportCommand], defaultSubcommand: "show" });
