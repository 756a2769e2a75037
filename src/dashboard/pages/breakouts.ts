// Breakouts: one session's rooms, with their language, facilitator and who is in them.
import { z } from "zod";
import { sessionTitle } from "../../programs/session-titles.ts";
import { formatDateTime } from "../../time/format.ts";
import { breakoutRooms, sessionsOf } from "../data.ts";
import { html, type Html } from "../html.ts";
import { languageLabel, platformLabel, type PageContext } from "./context.ts";

export async function breakoutsPage(context: PageContext): Promise<Html> {
  const { t, locale, zone } = context;
  const sessions = await sessionsOf(context.db, context.scope);
  if (sessions.length === 0) return html`<h1>${t("dashboard.breakouts.title")}</h1><p>${t("dashboard.overview.noSession")}</p>`;
  const now = context.clock.now().getTime();
  const upcoming = sessions.find((session) => session.startsAt.getTime() + session.durationMinutes * 60_000 > now) ?? sessions.at(-1)!;
  const indexes = sessions.map((session) => session.index);
  const chosenIndex = z.coerce.number().int().refine((index) => indexes.includes(index)).catch(upcoming.index).parse(context.query.get("session") ?? undefined);
  const session = sessions.find((candidate) => candidate.index === chosenIndex)!;
  const { status, version, rooms } = await breakoutRooms(context.db, context.scope, session);
  const statusText =
    status === "none" ? t("dashboard.breakouts.none") : status === "proposal" ? t("dashboard.breakouts.proposal") : t("dashboard.breakouts.published", { version });
  return html`<h1>${t("dashboard.breakouts.title")}</h1>
<form method="get" action="/dashboard/breakouts" class="filters"><label>${t("dashboard.session")}<select name="session">${sessions.map(
    (candidate) => html`<option value="${candidate.index}"${candidate.index === chosenIndex ? html` selected` : ""}>${t("dashboard.overview.session", { index: candidate.index, title: sessionTitle(candidate, context.locale) })}</option>`,
  )}</select></label><button type="submit">${t("dashboard.show")}</button></form>
<p><strong>${formatDateTime(session.startsAt, locale, zone)}</strong> · ${statusText}</p>
${rooms.length === 0 ? "" : html`<div class="table-wrap"><table data-sortable><thead><tr><th class="num" data-column="room">${t("dashboard.breakouts.room")}</th><th data-column="language">${t("dashboard.groups.columns.language")}</th><th data-column="facilitator">${t("dashboard.breakouts.facilitator")}</th><th class="num" data-column="people">${t("dashboard.breakouts.people")}</th><th>${t("dashboard.breakouts.groups")}</th><th>${t("dashboard.breakouts.link")}</th></tr></thead>
<tbody>${rooms.map(
    (room) => html`<tr><td class="num" data-value="${room.number}">${room.number}</td><td data-value="${room.language}">${languageLabel(context, room.language)}</td><td data-value="${room.facilitator ?? ""}">${room.facilitator ?? html`<span class="bad">${t("dashboard.breakouts.noFacilitator")}</span>`}</td><td class="num" data-value="${room.seats}">${room.seats}</td><td>${room.groups.join(", ")}</td><td>${room.meetingUrl && /^https?:\/\//.test(room.meetingUrl) ? html`<a href="${room.meetingUrl}" rel="noopener noreferrer">${t("dashboard.breakouts.open")}</a>` : ""}</td></tr>`,
  )}</tbody></table></div>`}`;
}
