// Participation per session: homework submitted and on time (and attendance once check-ins are
// recorded), overall as a chart and per group as a table for one chosen session.
import { z } from "zod";
import { percentBars, type Series } from "../charts.ts";
import { html, type Html } from "../html.ts";
import { percent, type Participation } from "../participation.ts";
import type { PageContext } from "./context.ts";

export async function participationPage(context: PageContext): Promise<Html> {
  const { t } = context;
  const report = await context.participation(context.db, context.scope, context.clock);
  if (report.sessions.length === 0) return html`<h1>${t("dashboard.participation.title")}</h1><p>${t("dashboard.participation.none")}</p>`;
  const categories = report.sessions.map(({ session }) => t("dashboard.sessionShort", { index: session.index }));
  const series: Series[] = [
    ...(report.attendanceRecorded ? [{ name: t("dashboard.participation.attended"), values: report.sessions.map(({ overall }) => percent(overall.attended, overall.members)) }] : []),
    { name: t("dashboard.participation.submitted"), values: report.sessions.map(({ overall }) => percent(overall.submitted, overall.members)) },
    { name: t("dashboard.participation.onTime"), values: report.sessions.map(({ overall }) => percent(overall.onTime, overall.members)) },
  ];
  const indexes = report.sessions.map(({ session }) => session.index);
  const chosenIndex = z.coerce.number().int().refine((index) => indexes.includes(index)).catch(indexes.at(-1)!).parse(context.query.get("session") ?? undefined);
  const chosen = report.sessions.find(({ session }) => session.index === chosenIndex)!;
  const rate = (part: number | null, figures: Participation) => {
    const value = percent(part, figures.members);
    return value === null ? html`<td class="muted">–</td>` : html`<td class="num" data-value="${value}"><meter min="0" max="100" value="${value}"></meter> ${value}%</td>`;
  };
  return html`<h1>${t("dashboard.participation.title")}</h1>
${report.attendanceRecorded ? "" : html`<p class="note">${t("dashboard.participation.noAttendance")}</p>`}
<section class="panel"><h2>${t("dashboard.participation.overall")}</h2>${percentBars(categories, series, { title: t("dashboard.participation.overall") })}</section>
<section class="panel"><h2>${t("dashboard.participation.perGroup")}</h2>
<form method="get" action="/dashboard/participation" class="filters"><label>${t("dashboard.session")}<select name="session">${report.sessions.map(
    ({ session }) => html`<option value="${session.index}"${session.index === chosenIndex ? html` selected` : ""}>${t("dashboard.overview.session", { index: session.index, title: session.title })}</option>`,
  )}</select></label><button type="submit">${t("dashboard.show")}</button>
<a class="button secondary" href="/dashboard/export/homework.csv?session=${chosenIndex}" download>${t("dashboard.export.homework")}</a></form>
<div class="table-wrap"><table data-sortable><thead><tr><th data-column="name">${t("dashboard.groups.columns.name")}</th><th class="num" data-column="members">${t("dashboard.groups.columns.members")}</th>${report.attendanceRecorded ? html`<th data-column="attended">${t("dashboard.participation.attended")}</th>` : ""}<th data-column="submitted">${t("dashboard.participation.submitted")}</th><th data-column="onTime">${t("dashboard.participation.onTime")}</th></tr></thead>
<tbody><tr class="total"><td>${t("dashboard.participation.all")}</td><td class="num">${chosen.overall.members}</td>${report.attendanceRecorded ? rate(chosen.overall.attended, chosen.overall) : ""}${rate(chosen.overall.submitted, chosen.overall)}${rate(chosen.overall.onTime, chosen.overall)}</tr>
${chosen.groups.map(
    (group) => html`<tr><td data-value="${group.name}">${group.name}</td><td class="num" data-value="${group.figures.members}">${group.figures.members}</td>${report.attendanceRecorded ? rate(group.figures.attended, group.figures) : ""}${rate(group.figures.submitted, group.figures)}${rate(group.figures.onTime, group.figures)}</tr>`,
  )}</tbody></table></div></section>`;
}
