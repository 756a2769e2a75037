// A facilitator's feedback on a submission, posted to the submitter's group channel through
// the outbox and rendered at send time in the group's language. A newer review of the same
// submission before this one went out supersedes it.
import { z } from "zod";
import { message } from "../core/messages.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { defineDeliveryKind, payloadInstant } from "../outbox/kinds.ts";
import { linkSpans } from "./texts.ts";
import { sessionTitle } from "../programs/session-titles.ts";

/** One per review (submission and review time) and channel. */
export const HOMEWORK_FEEDBACK = defineDeliveryKind({
  name: "homework-feedback",
  payload: z.object({ submissionId: z.number().int(), reviewedAt: payloadInstant }),
  key: "homework-feedback:{submissionId}:{reviewedAt}:{channelId}",
});

export function homeworkFeedbackKind(db: PrismaClient) {
  return HOMEWORK_FEEDBACK.renderWith(async (payload, target) => {
    const submission = await db.homeworkSubmission.findUnique({
      where: { id: payload.submissionId },
      include: { member: true, reviewer: true, assignment: { include: { session: true } } },
    });
    if (!submission) return { skip: "submission no longer exists" };
    if (!submission.feedback || submission.reviewedAt?.getTime() !== new Date(payload.reviewedAt).getTime()) {
      return { skip: "superseded by a newer review or a new submission" };
    }
    const { t, locale } = target;
    const session = submission.assignment.session;
    return {
      message: message()
        .heading(t("homework.feedback.heading", { index: session.index, title: sessionTitle(session, locale) }))
        .text(
          t("homework.feedback.byline", {
            name: submission.member?.displayName ?? t("homework.formerMember"),
            reviewer: submission.reviewer?.displayName ?? t("homework.aFacilitator"),
          }),
        )
        .text(...linkSpans(submission.feedback))
        .build(),
    };
  });
}
