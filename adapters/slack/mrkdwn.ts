// Slack's mrkdwn, both ways.
// Outbound: every piece of text is made inert, so nothing a user, a coordinator or a translation
// wrote can format, link or notify: &, < and > are escaped (no <!channel>, <@U…> or <url|…> can
// form), formatting markers can't pair up, a leading > can't quote, and @here/@channel/@everyone
// can't notify unless the message allows it.
// Inbound: the text Slack sends for slash commands and messages (escaped, with <…> tokens for
// mentions and links) becomes the plain text the user typed.

/** Zero-width space: invisible, and a boundary Slack's formatter will not pair markers across. */
const ZWSP = "\u200B";

const MASS_MENTION = /(^|[^\p{L}\p{N}_])@(here|channel|everyone)(?![\p{L}\p{N}_])/gu;

/** Slack's three control characters, as its documentation asks. */
export function escapeControl(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Mrkdwn has no backslash escape. Slack only formats a marker that sits at a word boundary and
 * pairs with another, so a zero-width space on both sides of every *, _, ~ and ` stops it
 * whichever way the formatter treats that space; one before a line's leading &gt; stops a quote.
 */
function neutralizeMarkers(escaped: string): string {
  return escaped.replace(/[*_~`]/g, (marker) => `${ZWSP}${marker}${ZWSP}`).replace(/^&gt;/gm, `${ZWSP}&gt;`);
}

/** @here/@channel/@everyone: a real mention when allowed, otherwise broken by an invisible space. */
function massMentions(escaped: string, allow: boolean): string {
  return escaped.replace(MASS_MENTION, (_match, before: string, word: string) => (allow ? `${before}<!${word}>` : `${before}@${ZWSP}${word}`));
}

/** Plain text as inert mrkdwn. */
export function inertText(text: string, allowMassMentions = false): string {
  return massMentions(neutralizeMarkers(escapeControl(text)), allowMassMentions);
}

const URL_IN_TEXT = /\b(?:https?:\/\/|mailto:)[^\s<>|]+/gi;
const SAFE_URL = /^(?:https?:\/\/|mailto:)[^\s<>]+$/i;

export function isLinkableUrl(url: string): boolean {
  return SAFE_URL.test(url);
}

/** A URL inside <…|…>: & escaped, and | (the label separator) percent-encoded. */
export function escapeUrl(url: string): string {
  return url.replace(/&/g, "&amp;").replace(/\|/g, "%7C");
}

/** Trailing punctuation belongs to the sentence, not the link ("see https://x.org."). */
function trimUrl(url: string): string {
  let end = url.length;
  while (end > 0) {
    const last = url[end - 1]!;
    if (".,;:!?'\"”’»".includes(last)) end--;
    else if (last === ")" && !url.slice(0, end).includes("(")) end--;
    else break;
  }
  return url.slice(0, end);
}

/**
 * Text that may contain web addresses: each address becomes an explicit <link> (so the markers
 * inside it stay untouched and it still opens), everything else inert text.
 */
export function inertTextWithLinks(text: string, allowMassMentions = false): string {
  let result = "";
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const url = trimUrl(match[0]);
    if (!url.includes("://") && !url.toLowerCase().startsWith("mailto:")) continue;
    result += inertText(text.slice(last, match.index), allowMassMentions) + `<${escapeUrl(url)}>`;
    last = match.index + url.length;
  }
  return result + inertText(text.slice(last), allowMassMentions);
}

/** The label of an explicit link: inert, and free of the > that would end the link early. */
export function linkLabel(text: string): string {
  return neutralizeMarkers(escapeControl(text)).replace(/\|/g, "¦");
}

/** Slack's escaped text back to what the user typed: <…> tokens decoded, then the entities. */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_token, inner: string) => decodeToken(inner))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function decodeToken(inner: string): string {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  switch (target[0]) {
    case "@": // a user: its id, which names the person unambiguously (/grant @U123 …)
      return `@${target.slice(1)}`;
    case "#": // a channel: its name when Slack gives it
      return `#${label ?? target.slice(1)}`;
    case "!": {
      const special = target.slice(1);
      if (special === "here" || special === "channel" || special === "everyone") return `@${special}`;
      return label ?? (special.startsWith("subteam^") ? "@group" : "");
    }
    default: {
      if (label === undefined) return target;
      const bare = target.replace(/^(?:https?:\/\/|mailto:)/i, "");
      return label === bare || label === target ? label : `${label} (${target})`;
    }
  }
}
