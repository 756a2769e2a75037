// The dashboard's HTTP side, mounted at /dashboard on the bot's own server. Every response carries
// a strict Content-Security-Policy (only our own stylesheet and script, no inline code) and is
// never cached; every page but sign-in wants a valid session cookie, checked on each request.
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Clock } from "../clock.ts";
import type { FileAttachment } from "../core/messages.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { RequestHandler } from "../http/server.ts";
import { chooseLocale, type I18n, type Locale } from "../i18n/i18n.ts";
import type { Services } from "../services/index.ts";
import { SESSION_LIFETIME_MS, type Viewer } from "./access.ts";
import { groupRows, scopeFor } from "./data.ts";
import { groupsCsv, sessionHomeworkCsv } from "./exports.ts";
import { html, type Html } from "./html.ts";
import { layout, messagePage, type PageName } from "./layout.ts";
import { announcementPage, announcementReport, announcementsPage, liveFields } from "./pages/announcements.ts";
import { breakoutsPage } from "./pages/breakouts.ts";
import type { PageContext } from "./pages/context.ts";
import { filterGroups, groupsPage, readGroupFilter } from "./pages/groups.ts";
import { overviewPage } from "./pages/overview.ts";
import { participationPage } from "./pages/participation.ts";
import { checkInParticipation, type ParticipationSource } from "./participation.ts";

export const SESSION_COOKIE = "dashboard_session";

const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "assets");
const ASSETS: Record<string, string> = { "dashboard.css": "text/css; charset=utf-8", "dashboard.js": "text/javascript; charset=utf-8" };

/** A sign-in token as /dashboard makes them: 32 random bytes in base64url. */
const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const MAX_FORM_BYTES = 1024;

export interface DashboardDeps {
  db: PrismaClient;
  services: Services;
  i18n: I18n;
  clock: Clock;
  /** Whether the dashboard is served over HTTPS (DASHBOARD_URL), so the cookie is marked Secure. */
  secure: boolean;
  participation?: ParticipationSource;
}

type Page = (context: PageContext, rest: string[]) => Promise<Html | undefined>;

const PAGES: Record<string, { name: PageName; render: Page; coordinatorsOnly?: boolean }> = {
  "": { name: "overview", render: overviewPage },
  groups: { name: "groups", render: groupsPage },
  participation: { name: "participation", render: participationPage },
  breakouts: { name: "breakouts", render: breakoutsPage },
  announcements: {
    name: "announcements",
    coordinatorsOnly: true,
    render: async (context, [id]) => {
      if (id === undefined) return announcementsPage(context);
      const report = /^[1-9]\d{0,9}$/.test(id) ? await announcementReport(context, Number(id)) : undefined;
      return report && announcementPage(context, report);
    },
  },
};

export function dashboardRoutes(deps: DashboardDeps): RequestHandler {
  const participation = deps.participation ?? checkInParticipation;
  return async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const [, , section = "", ...rest] = url.pathname.replace(/\/+$/, "").split("/");
    const guestLocale = chooseLocale(...acceptedLanguages(request));
    const method = request.method ?? "GET";

    if (section === "assets" && method === "GET") return serveAsset(response, rest.join("/"));
    // SameSite=Strict keeps the cookie off other sites' requests; a form another site posts here
    // (signing someone in to the attacker's session, or out) is refused by its Origin.
    if (method === "POST" && !fromOwnPages(request)) return refuse(response, guestLocale, 403, "dashboard.refused.invalid");
    if (section === "signin") return method === "POST" ? signIn(request, response) : signInPage(response, url, guestLocale);
    if (section === "signed-out" && method === "GET") {
      const t = deps.i18n.translator(guestLocale);
      return send(response, 200, messagePage({ t, locale: guestLocale, title: t("dashboard.signedOut.title") }, t("dashboard.signedOut.title"), [t("dashboard.signedOut.text")]));
    }

    const token = readCookie(request, SESSION_COOKIE);
    if (section === "signout" && method === "POST") {
      await deps.services.dashboard.signOut(token);
      response.setHeader("set-cookie", clearCookie(deps.secure));
      return redirect(response, "/dashboard/signed-out");
    }

    const viewer = await deps.services.dashboard.viewer(token);
    if (!viewer) return refuse(response, guestLocale, 401, "dashboard.refused.noSession");
    const t = deps.i18n.translator(viewer.locale);
    const scope = await scopeFor(deps.db, viewer);
    if (!scope) return send(response, 200, messagePage({ t, locale: viewer.locale, title: t("dashboard.brand"), viewer }, t("dashboard.brand"), [t("dashboard.noProgram")]));
    const context: PageContext = { db: deps.db, services: deps.services, clock: deps.clock, scope, t, locale: viewer.locale, zone: viewer.timezone, query: url.searchParams, participation };

    if (method !== "GET") return notFound(response, viewer, context);
    if (section === "export") return exportFile(response, context, rest[0] ?? "");
    if (section === "api" && rest[0] === "announcements" && viewer.role === "coordinator") {
      const report = /^[1-9]\d{0,9}$/.test(rest[1] ?? "") ? await announcementReport(context, Number(rest[1])) : undefined;
      if (!report) return sendJson(response, 404, { error: "not found" });
      return sendJson(response, 200, liveFields(t, report, viewer.locale, viewer.timezone));
    }
    const page = PAGES[section];
    if (!page || (page.coordinatorsOnly && viewer.role !== "coordinator")) return notFound(response, viewer, context);
    const body = await page.render(context, rest);
    if (!body) return notFound(response, viewer, context);
    return send(response, 200, layout({ t, locale: viewer.locale, title: t(`dashboard.nav.${page.name}`), viewer, current: page.name }, body));
  };

  function signInPage(response: ServerResponse, url: URL, locale: Locale): void {
    const t = deps.i18n.translator(locale);
    const token = tokenSchema.safeParse(url.searchParams.get("token"));
    if (!token.success) return refuse(response, locale, 400, "dashboard.refused.invalid");
    // A button rather than signing in on GET: chat apps open links to preview them, and that
    // visit would use up the one-time link before its owner clicked it.
    const body = html`<section class="notice"><h1>${t("dashboard.signIn.title")}</h1><p>${t("dashboard.signIn.text")}</p>
<form method="post" action="/dashboard/signin"><input type="hidden" name="token" value="${token.data}"><button type="submit" class="primary">${t("dashboard.signIn.button")}</button></form></section>`;
    send(response, 200, layout({ t, locale, title: t("dashboard.signIn.title") }, body));
  }

  async function signIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const locale = chooseLocale(...acceptedLanguages(request));
    const form = await readForm(request);
    const token = tokenSchema.safeParse(form?.get("token"));
    if (!token.success) return refuse(response, locale, 400, "dashboard.refused.invalid");
    const outcome = await deps.services.dashboard.signIn(token.data);
    if (!outcome.ok) return refuse(response, locale, 403, `dashboard.refused.${outcome.reason}`);
    response.setHeader("set-cookie", sessionCookie(outcome.sessionToken, deps.secure));
    redirect(response, "/dashboard");
  }

  async function exportFile(response: ServerResponse, context: PageContext, name: string): Promise<void> {
    let file: FileAttachment | undefined;
    if (name === "groups.csv") {
      file = groupsCsv(context.scope, filterGroups(await groupRows(context.db, context.scope), readGroupFilter(context.query)), context.t);
    } else if (name === "homework.csv") {
      const index = z.coerce.number().int().min(1).max(10_000).safeParse(context.query.get("session"));
      if (index.success) file = await sessionHomeworkCsv(context.db, context.services, context.scope, index.data, context.t);
    }
    if (!file) return notFound(response, context.scope.viewer, context);
    response
      .writeHead(200, {
        ...securityHeaders(),
        "content-type": file.contentType,
        "content-disposition": `attachment; filename="${file.fileName.replace(/[^\w.-]/g, "_")}"`,
      })
      .end(Buffer.from(file.data));
  }

  function refuse(response: ServerResponse, locale: Locale, status: number, key: string): void {
    const t = deps.i18n.translator(locale);
    send(response, status, messagePage({ t, locale, title: t("dashboard.refused.title") }, t("dashboard.refused.title"), [t(key), t("dashboard.refused.howTo")]));
  }

  function notFound(response: ServerResponse, viewer: Viewer, context: PageContext): void {
    const { t } = context;
    send(response, 404, messagePage({ t, locale: viewer.locale, title: t("dashboard.notFound"), viewer }, t("dashboard.notFound"), []));
  }
}

function securityHeaders(): Record<string, string> {
  return {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    // Not "no-referrer": with it browsers send "Origin: null" on our own forms, which fromOwnPages refuses.
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
  };
}

function send(response: ServerResponse, status: number, page: string): void {
  response.writeHead(status, { ...securityHeaders(), "content-type": "text/html; charset=utf-8" }).end(page);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...securityHeaders(), "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { ...securityHeaders(), location }).end();
}

async function serveAsset(response: ServerResponse, name: string): Promise<void> {
  const contentType = ASSETS[name];
  if (!contentType) {
    response.writeHead(404, securityHeaders()).end();
    return;
  }
  const body = await readFile(path.join(ASSETS_DIR, name));
  response.writeHead(200, { ...securityHeaders(), "content-type": contentType, "cache-control": "no-cache" }).end(body);
}

function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=${SESSION_LIFETIME_MS / 1000}${secure ? "; Secure" : ""}`;
}

function clearCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0${secure ? "; Secure" : ""}`;
}

export function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=") || undefined;
  }
  return undefined;
}

/** A POST from our own pages: browsers name the page's origin; a request without one is not a browser's form. */
function fromOwnPages(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const hosts = [request.headers.host, request.headers["x-forwarded-host"]].flat().filter(Boolean);
  return URL.canParse(origin) && hosts.includes(new URL(origin).host);
}

/** The browser's languages, most wanted first ("de-CH,de;q=0.9,en;q=0.8"). */
function acceptedLanguages(request: IncomingMessage): string[] {
  return (request.headers["accept-language"] ?? "")
    .split(",")
    .map((entry) => {
      const [tag = "", ...parameters] = entry.trim().split(";");
      const quality = Number(parameters.find((parameter) => parameter.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { tag, quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((entry) => entry.tag && entry.quality > 0)
    .sort((left, right) => right.quality - left.quality)
    .map((entry) => entry.tag);
}

/** A small urlencoded form body; anything larger or of another type reads as no form. */
async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
