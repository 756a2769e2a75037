// What /announce answers, in the coordinator's language and time zone: the draft's preview, the
// confirmation, the cancellation and the delivery report.
import { message, type OutgoingMessage, type Span } from "../core/messages.ts";
import type { Locale, Translate } from "../i18n/i18n.ts";
import { languageName } from "../i18n/languages.ts";
import { formatDateTime } from "../time/format.ts";
import type { Cancellation, Confirmation, DraftPreview } from "./announcement-service.ts";
import { countBy } from "./audience.ts";
import { percentDone, progressBar } from "./progress.ts";
import { OUTCOMES, type AnnouncementReport, type StatusCounts } from "./reports.ts";
import { hasOwnVersion, variants } from "./variants.ts";

export interface Reader {
  t: Translate;
  locale: Locale;
  timezone: string;
}

/** Text that looks like a mention (@everyone, @here, @someone): worth saying whether it notifies. */
const MENTION_LIKE = /(^|[^\w])@\w/;

export function draftPreviewMessage(reader: Reader, preview: DraftPreview): OutgoingMessage {
  const { t, locale, timezone } = reader;
  const { announcement, audience } = preview;
  const body = message().heading(t("announce.preview.heading", { id: announcement.id }));
  for (const variant of variants(announcement)) {
    const language = variant.locale ? languageName(variant.locale as Locale, locale) : undefined;
    const label = variant.isDefault
      ? language ? t("announce.preview.defaultTextIn", { language }) : t("announce.preview.defaultText")
      : t("announce.preview.version", { language });
    body.text({ text: label, style: "bold" }).text(variant.text);
  }

  if (audience.length === 0) {
    body.text(t("announce.preview.noAudience"));
  } else {
    const platforms = countBy(audience, (channel) => channel.platform).map(([platform, count]) => `${platform} ${count}`).join(", ");
    body.text(t("announce.preview.audience", { count: audience.length, platforms }));
    body.list(
      countBy(audience, (channel) => channel.locale).map(([code, count]) => {
        const language = capitalized(languageName(code, locale), locale);
        const version = hasOwnVersion(announcement, code) ? t("announce.preview.ownVersion") : t("announce.preview.defaultVersion");
        return [t("announce.preview.languageLine", { language, count, version })];
      }),
    );
  }
  const filters = filterDescriptions(t, preview);
  if (filters.length) body.text(t("announce.preview.filters", { filters: filters.join(" · ") }));
  for (const { filter, value } of preview.unmatched) body.text(t("announce.preview.unmatched", { filter, value }));

  body.text(announcement.sendAt ? t("announce.preview.sendAt", { at: formatDateTime(announcement.sendAt, locale, timezone) }) : t("announce.preview.sendNow"));
  if (announcement.allowMassMentions) body.text(t("announce.preview.mentionsOn"));
  else if (variants(announcement).some((variant) => MENTION_LIKE.test(variant.text))) body.text(t("announce.preview.mentionsOff"));
  body.text(t("announce.preview.next"));
  return body.build();
}

function filterDescriptions(t: Translate, preview: DraftPreview): string[] {
  const { languages, countries, platforms } = preview.announcement;
  const described: string[] = [];
  if (languages.length) described.push(t("announce.preview.filterLanguages", { values: languages.join(", ") }));
  if (countries.length) described.push(t("announce.preview.filterCountries", { values: countries.join(", ") }));
  if (platforms.length) described.push(t("announce.preview.filterPlatforms", { values: platforms.join(", ") }));
  // Joined as they are typed (groups="A;B"): group names may contain commas.
  if (preview.groupNames.length) described.push(t("announce.preview.filterGroups", { values: preview.groupNames.join("; ") }));
  return described;
}

export function confirmationMessage(reader: Reader, confirmation: Confirmation): OutgoingMessage {
  const { t, locale, timezone } = reader;
  const { announcement, queued } = confirmation;
  const headline = announcement.sendAt
    ? t("announce.confirmedAt", { id: announcement.id, count: queued, at: formatDateTime(announcement.sendAt, locale, timezone) })
    : t("announce.confirmed", { id: announcement.id, count: queued });
  return message().text(headline).text(t("announce.followUp")).build();
}

export function cancellationMessage(reader: Reader, cancellation: Cancellation): OutgoingMessage {
  const { t } = reader;
  const { announcement } = cancellation;
  if (cancellation.wasDraft) return message().text(t("announce.draftDiscarded", { id: announcement.id })).build();
  const body = message().text(t("announce.cancelled", { id: announcement.id, count: cancellation.cancelled }));
  if (cancellation.alreadySent > 0) body.text(t("announce.alreadySent", { count: cancellation.alreadySent }));
  if (cancellation.beingSent > 0) body.text(t("announce.beingSent", { count: cancellation.beingSent }));
  return body.build();
}

/** "español" -> "Español" at the start of a line. */
function capitalized(text: string, locale: Locale): string {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

/** The first line of the default text, shortened: enough to recognise which announcement it is. */
export function excerpt(text: string, max = 80): string {
  const line = text.split("\n").find((candidate) => candidate.trim())?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

export function statusMessage(reader: Reader, report: AnnouncementReport): OutgoingMessage {
  const { t, locale, timezone } = reader;
  const { announcement, counts, total } = report;
  const state = t(`announce.status.state.${report.state}`, { at: announcement.sendAt ? formatDateTime(announcement.sendAt, locale, timezone) : "" });
  const body = message()
    .heading(t("announce.status.heading", { id: announcement.id, state }))
    .text(t("announce.status.excerpt", { text: excerpt(announcement.defaultText) }));
  if (announcement.confirmedAt) {
    body.text(t("announce.status.confirmedBy", { name: announcement.author?.displayName ?? "?", at: formatDateTime(announcement.confirmedAt, locale, timezone) }));
  }
  if (total > 0) {
    const done = total - counts.queued;
    body.text(
      { text: progressBar(done, total), style: "code" },
      " ",
      t("announce.status.progress", { percent: percentDone(done, total), done, total }),
    );
    body.text(countsLine(t, counts, { all: true }));
    body.list(report.platforms.map(({ platform, counts: platformCounts }) => [{ text: platform, style: "bold" }, `: ${countsLine(t, platformCounts)}`] as Span[]));
  }
  if (report.failures.length) {
    body.text({ text: t("announce.status.failures"), style: "bold" });
    body.list(report.failures.slice(0, 5).map(({ reason, count }) => [`${count} × `, { text: reason, style: "code" }]));
  }
  return body.build();
}

/** "sent 12 · waiting 3 · failed 1": every outcome, or (per platform) only those that occurred. */
export function countsLine(t: Translate, counts: StatusCounts, options: { all?: boolean } = {}): string {
  return OUTCOMES.filter((outcome) => options.all || counts[outcome] > 0)
    .map((outcome) => t(`announce.status.count.${outcome}`, { count: counts[outcome] }))
    .join(" · ");
}
