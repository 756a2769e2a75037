// Sessions follow their numbers: each ends before the next one starts. Homework falls due at the
// next session's start and /schedule lists sessions by number, so a schedule out of order sets
// homework due before the session that assigns it. Moves and imports check it here.
import { UserError } from "../core/errors.ts";

export interface TimedSession {
  index: number;
  title: string;
  startsAt: Date;
  durationMinutes: number;
}

export function sessionEnd(session: Pick<TimedSession, "startsAt" | "durationMinutes">): Date {
  return new Date(session.startsAt.getTime() + session.durationMinutes * 60_000);
}

/**
 * The refusal for the first pair of sessions out of order (each ordered by number), if any.
 * `moved` names the session whose time changed, so the message speaks of it and its neighbour.
 */
export function sessionOrderError(sessions: readonly TimedSession[], moved?: number): UserError | undefined {
  const ordered = [...sessions].sort((a, b) => a.index - b.index);
  for (let position = 1; position < ordered.length; position++) {
    const before = ordered[position - 1]!;
    const after = ordered[position]!;
    if (sessionEnd(before) <= after.startsAt) continue;
    if (moved === before.index) {
      return new UserError("session.order.runsInto", { index: before.index, other: after.index, otherTitle: after.title, at: after.startsAt });
    }
    return new UserError("session.order.startsBefore", { index: after.index, other: before.index, otherTitle: before.title, at: sessionEnd(before) });
  }
  return undefined;
}
