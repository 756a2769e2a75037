// Session times across daylight-saving changes and odd offsets, rendered for readers in
// several zones and languages.
import { describe, expect, it } from "vitest";
import type { Program, Session } from "../../src/generated/prisma/client.ts";
import { parseProgramText } from "../../src/programs/program-file.ts";
import { sessionTimes } from "../../src/schedule/session-view.ts";
import { instantToWallClock, wallClockToInstant } from "../../src/time/instants.ts";
import { formatDuration } from "../../src/time/relative.ts";

const program = { timezone: "Europe/Berlin" } as Program;
function session(local: string, durationMinutes = 120): Session {
  return { startsAt: wallClockToInstant(local, "Europe/Berlin"), durationMinutes } as Session;
}

describe("weekly sessions across daylight-saving changes keep their local time", () => {
  it("March: 17:00 Berlin is 16:00 UTC before the change and 15:00 UTC after it", () => {
    expect(wallClockToInstant("2021-03-23 17:00", "Europe/Berlin").toISOString()).toBe("2021-03-23T16:00:00.000Z");
    expect(wallClockToInstant("2021-03-30 17:00", "Europe/Berlin").toISOString()).toBe("2021-03-30T15:00:00.000Z");
  });

  it("October: back from 15:00 UTC to 16:00 UTC", () => {
    expect(wallClockToInstant("2021-10-26 17:00", "Europe/Berlin").toISOString()).toBe("2021-10-26T15:00:00.000Z");
    expect(wallClockToInstant("2021-11-02 17:00", "Europe/Berlin").toISOString()).toBe("2021-11-02T16:00:00.000Z");
  });

  it("a program file crossing the March change keeps every session at 17:00 Berlin", () => {
    const file = parseProgramText(`slug: dst
title: DST
timezone: Europe/Berlin
registrationDeadline: "2021-03-01 12:00"
sessions:
  - { title: A, start: "2021-03-23 17:00" }
  - { title: B, start: "2021-03-30 17:00" }
`);
    for (const entry of file.sessions) {
      expect(instantToWallClock(wallClockToInstant(entry.start, file.timezone), "Europe/Berlin")).toMatch(/17:00$/);
    }
  });
});

describe("one session as groups around the world read it", () => {
  // Tuesday 18 May 2021, 17:00 Berlin (summer time) = 15:00 UTC.
  const may = session("2021-05-18 17:00");

  it.each([
    ["Asia/Tokyo", "en", "Wednesday, May 19", "12:00 AM", "2:00 AM"],
    ["Asia/Tokyo", "ko", "5월 19일 수요일", "AM 12:00", "AM 2:00"], // as Node 20's ICU writes Korean,
    ["Pacific/Auckland", "es", "miércoles, 19 de mayo", "3:00", "5:00"],
    ["Asia/Kolkata", "de", "Dienstag, 18. Mai", "20:30", "22:30"],
    ["Asia/Kathmandu", "fr", "mardi 18 mai", "20:45", "22:45"],
    ["America/Sao_Paulo", "pt", "terça-feira, 18 de maio", "12:00", "14:00"],
    ["Europe/Berlin", "it", "martedì 18 maggio", "17:00", "19:00"],
  ])("%s in %s: %s, %s–%s", (zone, locale, date, start, end) => {
    const times = sessionTimes(may, program, locale as never, zone);
    expect(times).toMatchObject({ date, start, end, zone });
  });

  it("shows the program's own time beside the group's only when the wall clocks differ", () => {
    expect(sessionTimes(may, program, "en", "Asia/Tokyo").program).toEqual({ day: "Tuesday", start: "5:00 PM", end: "7:00 PM", zone: "Europe/Berlin" });
    expect(sessionTimes(may, program, "de", "Asia/Tokyo").program).toEqual({ day: "Dienstag", start: "17:00", end: "19:00", zone: "Europe/Berlin" });
    expect(sessionTimes(may, program, "en", "Europe/Berlin").program).toBeUndefined();
    // Same wall clock, different zone name (Rome keeps Berlin's time): nothing to add.
    expect(sessionTimes(may, program, "en", "Europe/Rome").program).toBeUndefined();
  });

  it("a southern-hemisphere group's local time moves when the European change happens and theirs doesn't", () => {
    const march = sessionTimes(session("2021-03-23 17:00"), program, "en", "Australia/Sydney");
    const april = sessionTimes(session("2021-04-06 17:00"), program, "en", "Australia/Sydney");
    // Berlin springs forward on 28 March, Sydney falls back on 4 April: 03:00, then 01:00.
    expect(march).toMatchObject({ date: "Wednesday, March 24", start: "3:00 AM" });
    expect(april).toMatchObject({ date: "Wednesday, April 7", start: "1:00 AM" });
  });

  it("marks a session that crosses the reader's midnight", () => {
    expect(sessionTimes(session("2021-05-18 17:00"), program, "en", "Asia/Shanghai").crossesMidnight).toBe(true);
    expect(sessionTimes(session("2021-05-18 17:00"), program, "en", "Europe/London").crossesMidnight).toBe(false);
  });
});

describe("relative durations", () => {
  it.each([
    ["en", 2 * 86_400_000 + 3 * 3_600_000, "2 days, 3 hours"],
    ["es", 2 * 86_400_000 + 3 * 3_600_000, "2 días y 3 horas"],
    ["de", 90 * 60_000, "1 Stunde, 30 Minuten"],
    ["ko", 3_600_000, "1시간"],
    ["en", 30_000, "1 minute"],
  ])("%s %d ms: %s", (locale, ms, text) => {
    expect(formatDuration(ms, locale as never)).toBe(text);
  });
});
