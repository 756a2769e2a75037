// Announcements (coordinators): each with how far it got, and one announcement's report whose
// progress dashboard.js refreshes from the JSON twin of the page while it is going out.
import { percentDone } from "../../announcements/progress.ts";
import { countsLine, excerpt } from "../../announcements/replies.ts";
import { AnnouncementReports, isFinished, OUTCOMES, type AnnouncementReport } from "../../announcements/reports.ts";
import type { Translate } from "../../i18n/i18n.ts";
import { formatDateTime } from "../../time/format.ts";
import { html, type Html } from "../html.ts";
import { platformLabel, type PageContext } from "./context.ts";

export async function announcementsPage(context: PageContext): Promise<Html> {
  const { t, locale, zone } = context;
  const summaries = (await new AnnouncementReports(context.db, context.clock).list()).filter(
    ({ announcement }) => announcement.programId === context.scope.program.id,
  );
  if (summaries.length === 0) return html`<h1>${t("dashboard.announcements.title")}</h1><p>${t("dashboard.announcements.none")}</p>`;
  return html`<h1>${t("dashboard.announcements.title")}</h1>
<div class="table-wrap"><table><thead><tr><th>#</th><th>${t("dashboard.announcements.when")}</th><th>${t("dashboard.announcements.text")}</th><th>${t("dashboard.announcements.state")}</th><th>${t("dashboard.announcements.progress")}</th></tr></thead>
<tbody>${summaries.map(({ announcement, state, total, counts }) => {
    const when = announcement.sendAt ?? announcement.confirmedAt ?? announcement.createdAt;
    const done = total - counts.queued;
    return html`<tr><td><a href="/dashboard/announcements/${announcement.id}">#${announcement.id}</a></td><td>${formatDateTime(when, locale, zone)}</td>
<td><a href="/dashboard/announcements/${announcement.id}">${excerpt(announcement.defaultText, 80)}</a></td><td>${stateText(t, state, announcement.sendAt, locale, zone)}</td>
<td>${total > 0 ? html`<progress max="${total}" value="${done}"></progress> ${percentDone(done, total)}%${counts.failed > 0 ? html` <span class="bad">${t("announce.status.count.failed", { count: counts.failed })}</span>` : ""}` : "–"}</td></tr>`;
  })}</tbody></table></div>`;
}

/** The live figures of one announcement, as texts ready to show (the page and its JSON share them). */
export function liveFields(t: Translate, report: AnnouncementReport, locale: PageContext["locale"], zone: string) {
  const { counts, total } = report;
  const done = total - counts.queued;
  const fields: Record<string, string> = {
    state: stateText(t, report.state, report.announcement.sendAt, locale, zone),
    progress: t("announce.status.progress", { percent: percentDone(done, total), done, total }),
  };
  for (const outcome of OUTCOMES) fields[`count.${outcome}`] = t(`announce.status.count.${outcome}`, { count: counts[outcome] });
  for (const platform of report.platforms) fields[`platform.${platform.platform}`] = countsLine(t, platform.counts);
  return {
    finished: isFinished(report.state),
    done,
    total,
    fields,
    failures: report.failures.map(({ reason, count }) => `${count} × ${reason}`),
  };
}

export async function announcementReport(context: PageContext, id: number): Promise<AnnouncementReport | undefined> {
  const reports = new AnnouncementReports(context.db, context.clock);
  const announcement = await reports.find(id);
  if (!announcement || announcement.programId !== context.scope.program.id) return undefined;
  return reports.report(announcement);
}

export function announcementPage(context: PageContext, report: AnnouncementReport): Html {
  const { t, locale, zone } = context;
  const { announcement } = report;
  const live = liveFields(t, report, locale, zone);
  const field = (name: string) => html`<span data-field="${name}">${live.fields[name]}</span>`;
  return html`<p><a href="/dashboard/announcements">← ${t("dashboard.announcements.title")}</a></p>
<h1>${t("dashboard.announcements.heading", { id: announcement.id })}</h1>
<section class="panel" data-live="/dashboard/api/announcements/${announcement.id}"${live.finished ? html` data-finished` : ""}>
<p class="state">${field("state")}</p>
<blockquote>${announcement.defaultText}</blockquote>
${announcement.confirmedAt ? html`<p class="muted">${t("announce.status.confirmedBy", { name: announcement.author?.displayName ?? "?", at: formatDateTime(announcement.confirmedAt, locale, zone) })}</p>` : ""}
<p><progress data-field-progress max="${Math.max(1, live.total)}" value="${live.done}"></progress></p>
<p class="big">${field("progress")}</p>
<ul class="counts">${OUTCOMES.map((outcome) => html`<li class="${outcome}">${field(`count.${outcome}`)}</li>`)}</ul>
${report.platforms.length > 0 ? html`<h2>${t("dashboard.announcements.platforms")}</h2><ul>${report.platforms.map((platform) => html`<li><strong>${platformLabel(context, platform.platform)}</strong>: ${field(`platform.${platform.platform}`)}</li>`)}</ul>` : ""}
<h2>${t("announce.status.failures")}</h2>
<ul data-field-list="failures" data-empty="${t("dashboard.announcements.noFailures")}">${live.failures.length ? live.failures.map((failure) => html`<li><code>${failure}</code></li>`) : html`<li class="muted">${t("dashboard.announcements.noFailures")}</li>`}</ul>
</section>`;
}

function stateText(t: Translate, state: AnnouncementReport["state"], sendAt: Date | null, locale: PageContext["locale"], zone: string): string {
  return t(`announce.status.state.${state}`, { at: sendAt ? formatDateTime(sendAt, locale, zone) : "" });
}

