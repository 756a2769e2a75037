// The overview: how many groups and people, where they are, and when the next session is.
import { sessionTitle } from "../../programs/session-titles.ts";
import { formatDateTime } from "../../time/format.ts";
import { horizontalBars } from "../charts.ts";
import { overview } from "../data.ts";
import { html, type Html } from "../html.ts";
import { languageLabel, platformLabel, type PageContext } from "./context.ts";

/** Countries beyond this many are summed up as "other", so the chart stays readable. */
const COUNTRY_BARS = 12;

export async function overviewPage(context: PageContext): Promise<Html> {
  const { t, locale, zone, scope } = context;
  const figures = await overview(context.db, scope, context.clock);
  const next = figures.next;
  const nextText = !next
    ? t("dashboard.overview.noSession")
    : next.running
      ? t("dashboard.overview.running", { title: sessionTitle(next.session, locale) })
      : t("dashboard.overview.days", { count: next.days });
  const countries = [...figures.byCountry];
  const countryBars = countries.slice(0, COUNTRY_BARS).map(([label, value]) => ({ label: label || t("dashboard.unknown"), value }));
  const others = countries.slice(COUNTRY_BARS).reduce((sum, [, value]) => sum + value, 0);
  if (others > 0) countryBars.push({ label: t("dashboard.overview.otherCountries", { count: countries.length - COUNTRY_BARS }), value: others });
  return html`<h1>${scope.program.title}</h1>
<section class="cards">
<div class="card"><span class="figure" data-testid="groups">${figures.groups}</span><span class="caption">${t("dashboard.overview.groups")}</span></div>
<div class="card"><span class="figure" data-testid="members">${figures.members}</span><span class="caption">${t("dashboard.overview.members")}</span></div>
<div class="card${figures.unreachable > 0 ? " warn" : ""}"><span class="figure">${figures.unreachable}</span><span class="caption">${t("dashboard.overview.unreachable")}</span></div>
<div class="card"><span class="figure small" data-testid="next">${nextText}</span><span class="caption">${next ? html`${t("dashboard.overview.session", { index: next.session.index, title: sessionTitle(next.session, locale) })}<br>${formatDateTime(next.session.startsAt, locale, zone)}` : t("dashboard.overview.nextSession")}</span></div>
</section>
<section class="charts">
<div class="panel"><h2>${t("dashboard.overview.byPlatform")}</h2>${horizontalBars([...figures.byPlatform].map(([label, value]) => ({ label: label ? platformLabel(context, label) : t("dashboard.overview.noChat"), value })), { title: t("dashboard.overview.byPlatform") })}</div>
<div class="panel"><h2>${t("dashboard.overview.byLanguage")}</h2>${horizontalBars([...figures.byLanguage].map(([label, value]) => ({ label: languageLabel(context, label), value })), { title: t("dashboard.overview.byLanguage") })}</div>
<div class="panel"><h2>${t("dashboard.overview.byCountry")}</h2>${horizontalBars(countryBars, { title: t("dashboard.overview.byCountry") })}</div>
</section>`;
}
