// Participation per session: attendance and arriving on time (from check-ins), homework submitted
// and on time, overall as a chart and per group as a table for one chosen session; then each
// group's latest structure test and whether it reached the program's supermajority.
import { z } from "zod";
import { sessionTitle } from "../../programs/session-titles.ts";
import { formatDateTime } from "../../time/format.ts";
import { percentBars, type Series } from "../charts.ts";
import { html, type Html } from "../html.ts";
import { percent, structureTestStatus, type Participation } from "../participation.ts";
import type { PageContext } from "./context.ts";

type Figure = "attended" | "arrivedOnTime" | "submitted" | "onTime";

export async function participationPage(context: PageContext): Promise<Html> {
  const { t, locale } = context;
  const report = await context.participation(context.db, context.scope, context.clock);
  if (report.sessions.length === 0) return html`<h1>${t("dashboard.participation.title")}</h1><p>${t("dashboard.participation.none")}</p>`;
  const categories = report.sessions.map(({ session }) => t("dashboard.sessionShort", { index: session.index }));
  const anyCheckIns = report.sessions.some((entry) => entry.attendanceRecorded);
  const seriesOf = (figure: Figure): Series => ({
    name: t(`dashboard.participation.${figure}`),
    values: report.sessions.map(({ overall }) => percent(overall[figure], overall.members)),
  });
  const series = (anyCheckIns ? (["attended", "arrivedOnTime", "submitted", "onTime"] as const) : (["submitted", "onTime"] as const)).map(seriesOf);
  const indexes = report.sessions.map(({ session }) => session.index);
  const chosenIndex = z.coerce.number().int().refine((index) => indexes.includes(index)).catch(indexes.at(-1)!).parse(context.query.get("session") ?? undefined);
  const chosen = report.sessions.find(({ session }) => session.index === chosenIndex)!;
  const columns: Figure[] = chosen.attendanceRecorded ? ["attended", "arrivedOnTime", "submitted", "onTime"] : ["submitted", "onTime"];
  const rates = (figures: Participation) =>
    columns.map((figure) => {
      const value = percent(figures[figure], figures.members);
      return value === null ? html`<td class="muted">–</td>` : html`<td class="num" data-value="${value}"><meter min="0" max="100" value="${value}"></meter> ${value}%</td>`;
    });
  return html`<h1>${t("dashboard.participation.title")}</h1>
${chosen.attendanceRecorded ? "" : html`<p class="note">${t("dashboard.participation.noAttendance")}</p>`}
<section class="panel"><h2>${t("dashboard.participation.overall")}</h2>${percentBars(categories, series, { title: t("dashboard.participation.overall") })}</section>
<section class="panel"><h2>${t("dashboard.participation.perGroup")}</h2>
<form method="get" action="/dashboard/participation" class="filters"><label>${t("dashboard.session")}<select name="session">${report.sessions.map(
    ({ session }) => html`<option value="${session.index}"${session.index === chosenIndex ? html` selected` : ""}>${t("dashboard.overview.session", { index: session.index, title: sessionTitle(session, locale) })}</option>`,
  )}</select></label><button type="submit">${t("dashboard.show")}</button>
<a class="button secondary" href="/dashboard/export/homework.csv?session=${chosenIndex}" download>${t("dashboard.export.homework")}</a></form>
<div class="table-wrap"><table data-sortable><thead><tr><th data-column="name">${t("dashboard.groups.columns.name")}</th><th class="num" data-column="members">${t("dashboard.groups.columns.members")}</th>${columns.map((figure) => html`<th data-column="${figure}">${t(`dashboard.participation.${figure}`)}</th>`)}</tr></thead>
<tbody><tr class="total"><td>${t("dashboard.participation.all")}</td><td class="num">${chosen.overall.members}</td>${rates(chosen.overall)}</tr>
${chosen.groups.map(
    (group) => html`<tr><td data-value="${group.name}">${group.name}</td><td class="num" data-value="${group.figures.members}">${group.figures.members}</td>${rates(group.figures)}</tr>`,
  )}</tbody></table></div></section>
${await structureTestsPanel(context)}`;
}

/** Each group's latest structure test: how many of the unit took part, and whether that is a supermajority. */
async function structureTestsPanel(context: PageContext): Promise<Html> {
  const { t, locale, zone, scope } = context;
  const rows = await structureTestStatus(context.db, context.services.structureTests, scope);
  const threshold = html`<p class="muted">${t("dashboard.structureTests.threshold", { percent: Math.round(scope.program.supermajority * 100) })}</p>`;
  if (!rows.some((row) => row.test)) return html`<section class="panel" id="structure-tests"><h2>${t("dashboard.structureTests.title")}</h2><p>${t("dashboard.structureTests.none")}</p>${threshold}</section>`;
  return html`<section class="panel" id="structure-tests"><h2>${t("dashboard.structureTests.title")}</h2>${threshold}
<div class="table-wrap"><table data-sortable><thead><tr><th data-column="name">${t("dashboard.groups.columns.name")}</th><th data-column="test">${t("dashboard.structureTests.test")}</th><th class="num" data-column="share">${t("dashboard.structureTests.tookPart")}</th><th data-column="status">${t("dashboard.structureTests.status")}</th><th data-column="recorded">${t("dashboard.structureTests.recorded")}</th></tr></thead>
<tbody>${rows.map(({ name, test, reached }) => {
    if (!test) return html`<tr><td data-value="${name}">${name}</td><td class="muted">${t("dashboard.structureTests.noTest")}</td><td class="muted">–</td><td class="muted">–</td><td class="muted">–</td></tr>`;
    const share = percent(test.participants, test.unitSize)!;
    return html`<tr data-reached="${reached ? "yes" : "no"}"><td data-value="${name}">${name}</td><td>${test.name}</td><td class="num" data-value="${share}">${t("dashboard.structureTests.share", { participants: test.participants, unitSize: test.unitSize, percent: share })}</td><td data-value="${reached ? 1 : 0}">${reached ? html`<span class="ok">${t("dashboard.structureTests.reached")}</span>` : t("dashboard.structureTests.notReached")}</td><td data-value="${test.recordedAt.toISOString()}">${formatDateTime(test.recordedAt, locale, zone)}</td></tr>`;
  })}</tbody></table></div></section>`;
}
