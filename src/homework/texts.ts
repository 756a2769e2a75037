// How homework text reads: an assignment in the reader's language, and any text with its links
// as link spans, so every platform shows them as links while the adapter escapes the rest.
import type { Span } from "../core/messages.ts";
import type { Locale } from "../i18n/i18n.ts";
import type { AssignmentTexts } from "./program-settings.ts";

/** The reader's language, else the program's default language, else the first one given. */
export function assignmentText(texts: AssignmentTexts, reader: Locale, programDefault: string): string | undefined {
  return texts[reader] ?? texts[programDefault as Locale] ?? Object.values(texts).find((text) => text !== undefined);
}

const LINK = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]}'’”]/giu;

/** Text as spans, each http(s) link a link span; the characters are exactly the text's. */
export function linkSpans(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    if (match.index > last) spans.push(text.slice(last, match.index));
    spans.push({ text: match[0], href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) spans.push(text.slice(last));
  return spans;
}

/** The links in a text, in order (for the CSV's links column). */
export function linksIn(text: string): string[] {
  return [...text.matchAll(LINK)].map((match) => match[0]);
}

/**
 * About `max` characters on one line, cut at a space where one is near, with "…". A link is
 * never cut in half: the excerpt stops before it (or keeps it whole when it comes first).
 */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  let cut = max - 1;
  const straddling = [...flat.matchAll(LINK)].find((match) => match.index < cut && match.index + match[0].length > cut);
  if (straddling) cut = straddling.index > 0 ? straddling.index : straddling[0].length;
  let head = flat.slice(0, cut);
  const space = head.lastIndexOf(" ");
  if (!straddling && space > max * 0.6) head = head.slice(0, space);
  return `${head.trimEnd()}…`;
}
