// Every kind of message that goes through the outbox, each rendering itself at send time.
import { breakoutRoomsKind } from "./breakouts/delivery.ts";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { homeworkFeedbackKind } from "./homework/feedback.ts";
import { homeworkNudgeKind } from "./homework/nudges.ts";
import type { RenderableKind } from "./outbox/kinds.ts";
import { reminderKind, sessionMovedKind } from "./schedule/reminders.ts";
import { announcementKind } from "./announcements/announcement-kind.ts";
import { groupLeadKind } from "./services/group-lead.ts";
import { participationAbsentKind } from "./participation/absent-nudge.ts";
import { participationFlagKind } from "./participation/low-participation-flag.ts";

export function deliveryKinds(db: PrismaClient): RenderableKind[] {
  return [
    reminderKind(db),
    sessionMovedKind(db),
    homeworkNudgeKind(db),
    homeworkFeedbackKind(db),
    breakoutRoomsKind(db),
    announcementKind(db),
    groupLeadKind(db),
    participationAbsentKind(db),
    participationFlagKind(db),
  ];
}
