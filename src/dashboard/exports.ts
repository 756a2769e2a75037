// The CSV files the dashboard offers, within the viewer's groups: the groups table as filtered,
// and a session's homework submissions (the same file /homework export sends in chat).
import type { FileAttachment } from "../core/messages.ts";
import { UserError } from "../core/errors.ts";
import { homeworkCsv } from "../homework/export.ts";
import { toCsv, spreadsheetSafe } from "../homework/csv.ts";
import type { Translate } from "../i18n/i18n.ts";
import type { Services } from "../services/index.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { GroupRow, Scope } from "./data.ts";

const GROUP_COLUMNS = ["name", "platform", "language", "timezone", "country", "members", "lead", "reachable"] as const;

export function groupsCsv(scope: Scope, rows: readonly GroupRow[], t: Translate): FileAttachment {
  const header = [...GROUP_COLUMNS.map((column) => t(`dashboard.groups.columns.${column}`)), t("dashboard.groups.organization")];
  const lines = rows.map((row) =>
    [row.name, row.platform ?? "", row.language, row.timezone, row.country ?? "", String(row.members), row.lead ?? "", t(row.reachable ? "dashboard.yes" : "dashboard.no"), row.organization ?? ""].map(
      spreadsheetSafe,
    ),
  );
  return {
    fileName: `groups-${scope.program.slug}.csv`,
    contentType: "text/csv; charset=utf-8",
    data: new TextEncoder().encode(toCsv([header, ...lines], { bom: true })),
  };
}

/** The session's homework CSV, or undefined when the session has no assignment. */
export async function sessionHomeworkCsv(db: PrismaClient, services: Services, scope: Scope, index: number, t: Translate): Promise<FileAttachment | undefined> {
  const groups = await db.group.findMany({ where: scope.groupWhere, orderBy: [{ name: "asc" }, { id: "asc" }] });
  try {
    const scheduled = await services.homework.assignment(scope.program, index);
    const submissions = await services.homework.submissionsOf(scheduled.assignment.id, groups);
    return homeworkCsv(scope.program, scheduled, submissions, t);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}
