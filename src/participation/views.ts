// Participation as people read it in chat: the numbers per group with the sessions side by side
// (a monospace table, since columns are the point), a group's chart and structure tests, and the
// coordinators' overview of every group's latest test.
import { message, type MessageBuilder } from "../core/messages.ts";
import type { Group, Program, StructureTest } from "../generated/prisma/client.ts";
import type { Locale, Translate } from "../i18n/i18n.ts";
import { formatDate, formatDateTime } from "../time/format.ts";
import { percent, type ParticipationReport } from "./report.ts";
import { reachesSupermajority } from "./structure-tests.ts";

export interface Reader {
  t: Translate;
  locale: Locale;
  timezone: string;
}

/** Sessions shown side by side in chat; the CSV export has them all. */
export const TABLE_SESSIONS = 4;
/** Groups one message lists; the export has them all. */
export const TABLE_GROUPS = 60;
const NAME_WIDTH = 22;
/** A session's column: "#12 Tue, May 14" over " 10  83%". */
const COLUMN_WIDTH = 16;

function cell(count: number, of: number): string {
  return `${String(count).padStart(3)} ${percent(count, of).padStart(4)}`.padEnd(COLUMN_WIDTH);
}

function clip(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? `${chars.slice(0, width - 1).join("")}…` : text.padEnd(width);
}

/** Per group: members, then attended, on time and homework as count and percentage per session. */
export function participationMessage(program: Program, report: ParticipationReport, reader: Reader): MessageBuilder {
  const { t, locale, timezone } = reader;
  const body = message().heading(t("participation.view.heading", { program: program.title }));
  if (report.sessions.length === 0) return body.text(t("participation.view.noSessions"));
  const sessions = report.sessions.slice(-TABLE_SESSIONS);
  const offset = report.sessions.length - sessions.length;
  const header = " ".repeat(NAME_WIDTH + 6) + sessions.map((session) => clip(`#${session.index} ${formatDate(session.startsAt, locale, timezone)}`, COLUMN_WIDTH)).join("");
  const rows = [header];
  const labels = [t("participation.view.attended"), t("participation.view.onTime"), t("participation.view.homework")];
  for (const entry of report.groups.slice(0, TABLE_GROUPS)) {
    const figures = entry.sessions.slice(offset);
    const values = [figures.map((f) => f.attended), figures.map((f) => f.onTime), figures.map((f) => f.homework)];
    labels.forEach((label, line) => {
      const name = line === 0 ? `${entry.low ? "⚠ " : ""}${entry.group.name} (${entry.members})` : "";
      rows.push(clip(name, NAME_WIDTH) + " " + clip(label, 5) + values[line]!.map((count) => cell(count, entry.members)).join(""));
    });
  }
  body.pre(rows.map((row) => row.trimEnd()).join("\n"));
  body.text(t("participation.view.legend", { threshold: percent(program.participationThreshold, 1) }));
  const low = report.groups.filter((entry) => entry.low).length;
  if (low > 0) body.text(t("participation.view.low", { count: low, threshold: percent(program.participationThreshold, 1) }));
  if (report.groups.length > TABLE_GROUPS) body.text(t("participation.view.moreGroups", { count: report.groups.length - TABLE_GROUPS }));
  if (report.sessions.length > TABLE_SESSIONS) body.text(t("participation.view.moreSessions", { count: report.sessions.length - TABLE_SESSIONS }));
  return body;
}

function testLine(test: StructureTest, program: Program, t: Translate): string {
  const reached = reachesSupermajority(test, program.supermajority);
  return t(reached ? "participation.test.lineReached" : "participation.test.lineNotReached", {
    name: test.name,
    participants: test.participants,
    unitSize: test.unitSize,
    percent: percent(test.participants, test.unitSize),
    supermajority: percent(program.supermajority, 1),
  });
}

/** A group's chart: its unit's size and its structure tests, newest first. */
export function chartMessage(program: Program, group: Group, tests: readonly (StructureTest & { corrections: number })[], reader: Reader): MessageBuilder {
  const { t, locale, timezone } = reader;
  const body = message().heading(t("participation.chart.heading", { group: group.name }));
  body.text(group.unitSize === null ? t("participation.chart.noSize") : t("participation.chart.size", { count: group.unitSize }));
  if (tests.length === 0) return body.text(t("participation.chart.noTests"));
  body.list(
    tests.map((test) => [
      testLine(test, program, t),
      ` · ${formatDateTime(test.recordedAt, locale, timezone)}`,
      ...(test.corrections > 0 ? [" · ", t("participation.chart.corrected", { count: test.corrections })] : []),
    ]),
  );
  return body;
}

/** Coordinators and facilitators: each group's latest structure test. */
export function testsOverviewMessage(program: Program, groups: readonly Group[], latest: Map<number, StructureTest>, reader: Reader): MessageBuilder {
  const { t } = reader;
  const body = message().heading(t("participation.tests.heading", { supermajority: percent(program.supermajority, 1) }));
  const withTest = groups.filter((group) => latest.has(group.id));
  const reached = withTest.filter((group) => reachesSupermajority(latest.get(group.id)!, program.supermajority)).length;
  body.text(t("participation.tests.summary", { groups: groups.length, tested: withTest.length, reached }));
  body.list(withTest.slice(0, TABLE_GROUPS).map((group) => [{ text: group.name, style: "bold" }, ": ", testLine(latest.get(group.id)!, program, t)]));
  const untested = groups.filter((group) => !latest.has(group.id));
  if (untested.length > 0) body.text(t("participation.tests.none", { names: untested.slice(0, TABLE_GROUPS).map((group) => group.name).join(", ") }));
  return body;
}
