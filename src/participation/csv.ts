// `npm run cli -- participation --csv`: the same numbers as /participation, one row per group
// and session, for a spreadsheet. Times in UTC (ISO 8601), shares as fractions with two decimals.
import { spreadsheetSafe, toCsv } from "../homework/csv.ts";
import type { ParticipationReport } from "./report.ts";

const HEADER = ["group", "session", "session_start_utc", "members", "attended", "attended_share", "on_time", "on_time_share", "homework", "homework_share", "below_threshold"];

function share(count: number, of: number): string {
  return of > 0 ? (count / of).toFixed(2) : "";
}

export function participationCsv(report: ParticipationReport): string {
  const rows: string[][] = [HEADER];
  for (const entry of report.groups) {
    report.sessions.forEach((session, position) => {
      const figures = entry.sessions[position]!;
      rows.push([
        spreadsheetSafe(entry.group.name),
        String(session.index),
        session.startsAt.toISOString(),
        String(entry.members),
        String(figures.attended),
        share(figures.attended, entry.members),
        String(figures.onTime),
        share(figures.onTime, entry.members),
        String(figures.homework),
        share(figures.homework, entry.members),
        entry.low ? "yes" : "no",
      ]);
    });
  }
  return toCsv(rows, { bom: true });
}
