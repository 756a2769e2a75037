// Groups: a table to sort and filter. Filtering and sorting happen on the server from the query
// string, so they work without JavaScript; dashboard.js sorts and filters in place when it runs.
import { z } from "zod";
import { groupRows, type GroupRow } from "../data.ts";
import { html, type Html } from "../html.ts";
import { languageLabel, platformLabel, type PageContext } from "./context.ts";

const COLUMNS = ["name", "platform", "language", "timezone", "country", "members", "lead", "reachable"] as const;
type Column = (typeof COLUMNS)[number];

/** Anything unknown in the query string is ignored rather than refused: it is a view, not a change. */
export const groupFilterSchema = z.object({
  q: z.string().trim().max(100).catch(""),
  platform: z.string().max(20).catch(""),
  language: z.string().max(10).catch(""),
  country: z.string().max(100).catch(""),
  reachable: z.enum(["", "yes", "no"]).catch(""),
  sort: z.enum(COLUMNS).catch("name"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
});
export type GroupFilter = z.infer<typeof groupFilterSchema>;

export function readGroupFilter(query: URLSearchParams): GroupFilter {
  return groupFilterSchema.parse(Object.fromEntries(COLUMN_PARAMS.map((key) => [key, query.get(key) ?? undefined])));
}
const COLUMN_PARAMS = ["q", "platform", "language", "country", "reachable", "sort", "dir"] as const;

export function filterGroups(rows: readonly GroupRow[], filter: GroupFilter): GroupRow[] {
  const needle = filter.q.toLocaleLowerCase();
  const kept = rows.filter(
    (row) =>
      (!needle || [row.name, row.organization ?? "", row.lead ?? ""].some((text) => text.toLocaleLowerCase().includes(needle))) &&
      (!filter.platform || row.platform === filter.platform) &&
      (!filter.language || row.language === filter.language) &&
      (!filter.country || row.country === filter.country) &&
      (!filter.reachable || row.reachable === (filter.reachable === "yes")),
  );
  const value = (row: GroupRow): string | number => sortValue(row, filter.sort);
  const direction = filter.dir === "asc" ? 1 : -1;
  return kept.sort((left, right) => {
    const a = value(left);
    const b = value(right);
    const order = typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
    return order * direction || left.name.localeCompare(right.name);
  });
}

function sortValue(row: GroupRow, column: Column): string | number {
  switch (column) {
    case "members":
      return row.members;
    case "reachable":
      return row.reachable ? 1 : 0;
    default:
      return row[column] ?? "";
  }
}

export async function groupsPage(context: PageContext): Promise<Html> {
  const { t, query } = context;
  const rows = await groupRows(context.db, context.scope);
  const filter = readGroupFilter(query);
  const shown = filterGroups(rows, filter);
  const distinct = (pick: (row: GroupRow) => string | null) => [...new Set(rows.map(pick).filter((value): value is string => !!value))].sort();
  const select = (name: keyof GroupFilter, values: string[], label: (value: string) => string) =>
    html`<label>${t(`dashboard.groups.columns.${name}`)}<select name="${name}" data-filter="${name}"><option value="">${t("dashboard.groups.all")}</option>${values.map(
      (value) => html`<option value="${value}"${filter[name] === value ? html` selected` : ""}>${label(value)}</option>`,
    )}</select></label>`;
  const sortLink = (column: Column) => {
    const next = new URLSearchParams(query);
    next.set("sort", column);
    next.set("dir", filter.sort === column && filter.dir === "asc" ? "desc" : "asc");
    const state = filter.sort === column ? (filter.dir === "asc" ? "ascending" : "descending") : "none";
    return html`<th aria-sort="${state}" data-column="${column}"${column === "members" ? html` class="num"` : ""}><a href="?${next.toString()}">${t(`dashboard.groups.columns.${column}`)}</a></th>`;
  };
  const exportQuery = new URLSearchParams(query);
  return html`<h1>${t("dashboard.groups.title")}</h1>
<form method="get" action="/dashboard/groups" class="filters" data-filter-form>
<label>${t("dashboard.groups.search")}<input type="search" name="q" value="${filter.q}" data-filter="q" placeholder="${t("dashboard.groups.searchHint")}"></label>
${select("platform", distinct((row) => row.platform), (code) => platformLabel(context, code))}
${select("language", distinct((row) => row.language), (code) => languageLabel(context, code))}
${select("country", distinct((row) => row.country), (value) => value)}
<label>${t("dashboard.groups.columns.reachable")}<select name="reachable" data-filter="reachable"><option value="">${t("dashboard.groups.all")}</option><option value="yes"${filter.reachable === "yes" ? html` selected` : ""}>${t("dashboard.yes")}</option><option value="no"${filter.reachable === "no" ? html` selected` : ""}>${t("dashboard.no")}</option></select></label>
<input type="hidden" name="sort" value="${filter.sort}"><input type="hidden" name="dir" value="${filter.dir}">
<button type="submit">${t("dashboard.groups.filter")}</button>
<a class="button secondary" href="/dashboard/export/groups.csv?${exportQuery.toString()}" download>${t("dashboard.export.groups")}</a>
</form>
<p class="count" data-count data-template="${t("dashboard.groups.count", { shown: "{shown}", total: "{total}" })}">${t("dashboard.groups.count", { shown: shown.length, total: rows.length })}</p>
<div class="table-wrap"><table class="groups" data-sortable>
<thead><tr>${COLUMNS.map(sortLink)}</tr></thead>
<tbody>${shown.map(
    (row) => html`<tr data-platform="${row.platform ?? ""}" data-language="${row.language}" data-country="${row.country ?? ""}" data-reachable="${row.reachable ? "yes" : "no"}" data-search="${[row.name, row.organization ?? "", row.lead ?? ""].join(" ").toLocaleLowerCase()}">
<td data-value="${row.name}"><strong>${row.name}</strong>${row.organization ? html`<br><small>${row.organization}</small>` : ""}${row.withdrawn ? html` <span class="tag">${t("dashboard.groups.withdrawn")}</span>` : ""}</td>
<td data-value="${row.platform ?? ""}">${row.platform ? platformLabel(context, row.platform) : html`<span class="muted">${t("dashboard.overview.noChat")}</span>`}</td>
<td data-value="${row.language}">${languageLabel(context, row.language)}</td>
<td data-value="${row.timezone}">${row.timezone}</td>
<td data-value="${row.country ?? ""}">${row.country ?? ""}</td>
<td data-value="${row.members}" class="num">${row.members}</td>
<td data-value="${row.lead ?? ""}">${row.lead ?? ""}</td>
<td data-value="${row.reachable ? 1 : 0}">${row.reachable ? html`<span class="ok">${t("dashboard.groups.reachable")}</span>` : html`<span class="bad" title="${row.unreachableReason ?? ""}">${t("dashboard.groups.unreachable")}</span>`}</td>
</tr>`,
  )}</tbody></table></div>`;
}
