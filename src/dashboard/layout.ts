// The frame every dashboard page shares: head, navigation, sign-out, and the page's language.
import type { Locale, Translate } from "../i18n/i18n.ts";
import type { Viewer } from "./access.ts";
import { html, type Html } from "./html.ts";

export type PageName = "overview" | "groups" | "participation" | "announcements" | "breakouts";

export interface PageFrame {
  t: Translate;
  locale: Locale;
  title: string;
  viewer?: Viewer;
  current?: PageName;
}

const NAVIGATION: { page: PageName; path: string; coordinatorsOnly?: boolean }[] = [
  { page: "overview", path: "/dashboard" },
  { page: "groups", path: "/dashboard/groups" },
  { page: "participation", path: "/dashboard/participation" },
  { page: "announcements", path: "/dashboard/announcements", coordinatorsOnly: true },
  { page: "breakouts", path: "/dashboard/breakouts" },
];

export function layout(frame: PageFrame, body: Html): string {
  const { t, viewer } = frame;
  const nav = viewer
    ? html`<nav class="top" aria-label="${t("dashboard.nav.label")}">
<a class="brand" href="/dashboard">${t("dashboard.brand")}</a>
<ul>${NAVIGATION.filter((item) => !item.coordinatorsOnly || viewer.role === "coordinator").map(
        (item) => html`<li><a href="${item.path}"${item.page === frame.current ? html` aria-current="page"` : ""}>${t(`dashboard.nav.${item.page}`)}</a></li>`,
      )}</ul>
<form method="post" action="/dashboard/signout" class="signout"><span class="who">${viewer.member.displayName}</span><button type="submit">${t("dashboard.signOut")}</button></form>
</nav>`
    : html`<nav class="top"><span class="brand">${t("dashboard.brand")}</span></nav>`;
  return `<!doctype html>${html`<html lang="${frame.locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · ${t("dashboard.brand")}</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/dashboard.js" defer></script>
</head><body>
<header>${nav}</header>
<main>${body}</main>
${viewer ? html`<footer>${t("dashboard.footer", { zone: viewer.timezone })}</footer>` : ""}
</body></html>`}`;
}

/** A page that only says something (signed out, refused, not found). */
export function messagePage(frame: PageFrame, heading: string, lines: string[]): string {
  return layout(frame, html`<section class="notice"><h1>${heading}</h1>${lines.map((line) => html`<p>${line}</p>`)}</section>`);
}
