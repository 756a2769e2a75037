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
