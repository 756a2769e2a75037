// Everything the scheduler tick asks to put into the outbox ahead of time. A planner enqueues
// what falls due within its horizon, idempotently (dedupe keys), so running it often is harmless.
import type { PrivacyService } from "./privacy/privacy-service.ts";
import type { Planners } from "./services/index.ts";

export interface Planner {
  readonly name: string;
  /** Enqueues what is due soon; returns how many rows were new. */
  plan(): Promise<number>;
}

export function planners(planned: Planners, privacy: PrivacyService): Planner[] {
  return [
    { name: "reminders", plan: () => planned.reminders.enqueueHorizon() },
    { name: "homework-nudges", plan: () => planned.homeworkNudges.enqueueHorizon() },
    { name: "participation-follow-up", plan: () => planned.participationFollowUp.enqueueEnded() },
    // Not a planner of messages: the daily retention run (privacy.deleteAfter) rides the same tick.
    { name: "privacy-retention", plan: () => privacy.purgeDaily() },
  ];
}
