// Converting between wall-clock times in a zone and UTC instants. Always through luxon, so
// a daylight-saving change keeps 17:00 at 17:00 local; never by adding hours to a Date.
import { DateTime } from "luxon";

/** "2021-05-18 17:00" in Europe/Berlin -> the UTC instant. */
export function wallClockToInstant(local: string, zone: string): Date {
  const value = DateTime.fromISO(local.trim().replace(" ", "T"), { zone });
  if (!value.isValid) throw new RangeError(`invalid local time ${local} in ${zone}: ${value.invalidExplanation}`);
  return value.toJSDate();
}

/** The instant as wall-clock text in a zone: "2021-05-18 17:00". */
export function instantToWallClock(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd HH:mm");
}

/** Moves a wall-clock time by whole weeks in its zone (same weekday, same local time). */
export function addWeeksLocal(local: string, zone: string, weeks: number): string {
  return DateTime.fromISO(local.trim().replace(" ", "T"), { zone }).plus({ weeks }).toFormat("yyyy-MM-dd HH:mm");
}

export type TypedWallClock = { ok: true; instant: Date } | { ok: false; reason: "unreadable" | "nonexistent" };

/**
 * What a person typed as "2030-05-26 18:00" (or with a T) in a zone: the instant, or why not.
 * A time the clocks skip (the spring daylight-saving gap) is refused rather than moved.
 */
export function parseTypedWallClock(input: string, zone: string): TypedWallClock {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})$/.exec(input.trim());
  if (!match) return { ok: false, reason: "unreadable" };
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (hour > 23 || minute > 59) return { ok: false, reason: "unreadable" };
  const parsed = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  if (!parsed.isValid) return { ok: false, reason: "unreadable" };
  // luxon moves a skipped time forward (02:30 -> 03:30): the wall clock no longer matches.
  if (parsed.day !== day || parsed.hour !== hour || parsed.minute !== minute) return { ok: false, reason: "nonexistent" };
  return { ok: true, instant: parsed.toJSDate() };
}
