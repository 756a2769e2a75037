// How a session reads for a group: its time in the group's zone and language, with the
// program's own time beside it when the two differ.
import { DateTime } from "luxon";
import type { Session, Program } from "../generated/prisma/client.ts";
import type { Locale, Translate } from "../i18n/i18n.ts";

export type SessionTimes = {
  /** "Wednesday, June 2" (the group's date) */
  date: string;
  /** "00:00" */
  start: string;
  /** "02:00" */
  end: string;
  /** "Asia/Tokyo" */
  zone: string;
  /** The same session on the program's clock, when that shows a different time than the reader's. */
  program?: { day: string; start: string; end: string; zone: string };
  /** The local start and end fall on different dates. */
  crossesMidnight: boolean;
};

export function sessionTimes(session: Session, program: Program, locale: Locale, zone: string): SessionTimes {
  const start = DateTime.fromJSDate(session.startsAt, { zone }).setLocale(locale);
  const end = start.plus({ minutes: session.durationMinutes });
  const inProgram = DateTime.fromJSDate(session.startsAt, { zone: program.timezone }).setLocale(locale);
  const programEnd = inProgram.plus({ minutes: session.durationMinutes });
  const sameWallClock = start.toFormat("yyyy-MM-dd HH:mm") === inProgram.toFormat("yyyy-MM-dd HH:mm");
  const time = (value: DateTime) => value.toLocaleString(DateTime.TIME_SIMPLE);
  return {
    date: start.toLocaleString({ weekday: "long", day: "numeric", month: "long" }),
    start: time(start),
    end: time(end),
    zone,
    program: sameWallClock
      ? undefined
      : { day: inProgram.toLocaleString({ weekday: "long" }), start: time(inProgram), end: time(programEnd), zone: program.timezone },
    crossesMidnight: start.toISODate() !== end.toISODate(),
  };
}

/** "Tuesday 17:00–19:00 (Europe/Berlin)" in the reader's language, when the program's clock differs. */
export function programTimeText(t: Translate, times: SessionTimes): string | undefined {
  return times.program ? t("schedule.programTime", times.program) : undefined;
}
