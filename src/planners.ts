// Everything the scheduler tick asks to put into the outbox ahead of time. A planner enqueues
// what falls due within its horizon, idempotently (dedupe keys), so running it often is harmless.
import type { Services } from "./services/index.ts";

export interface Planner {
  readonly name: string;
  /** Enqueues what is due soon; returns how many rows were new. */
  plan(): Promise<number>;
}

export function planners(services: Services): Planner[] {
  return [
    { name: "reminders", plan: () => services.reminders.enqueueHorizon() },
    { name: "homework-nudges", plan: () => services.homeworkNudges.enqueueHorizon() },
    { name: "participation-follow-up", plan: () => services.participationFollowUp.enqueueEnded() },
    // Not a planner of messages: the daily retention run (privacy.deleteAfter) rides the same tick.
    { name: "privacy-retention", plan: () => services.privacy.purgeDaily() },
  ];
}
