// The neutral OutgoingMessage as Discord markdown. Every piece of text is escaped, so a user's or
// coordinator's `*`, `_`, backticks, `<b>`, `# `, `> ` or `<@id>` shows as typed and never formats,
// mentions or links anything; @everyone / @here only stay live when the message allows mass mentions.
// Long messages are split on line boundaries to fit Discord's 2,000 characters per message.
import type { Block, OutgoingMessage, Span } from "../../src/core/messages.ts";

/** Discord's limit for a message's content (counted here in UTF-16 units, which is never fewer). */
export const MESSAGE_LIMIT = 2000;

const FENCE = "```";
const ZERO_WIDTH_SPACE = "\u200b";
/** Characters that format anywhere in a line (bold, italic, underline, strike, code, spoiler, links, mentions). */
const INLINE_SPECIAL = /[\\*_~`|[\]<>]/g;
/** At a line's start: headings, subtext, quotes, lists. */
const LINE_START_MARKER = /^(\s*)([#>+-])/;
const LINE_START_NUMBER = /^(\s*)(\d+)\.(?=\s)/;
/** URLs are left as typed: Discord links them before any markdown applies, and escapes would break them. */
const URL = /https?:\/\/[^\s<>]+/gi;
const MASS_MENTION = /@(everyone|here)/g;
/** A role mention, which may notify when the message allows mass mentions. */
const ROLE_MENTION = /<@&\d{1,25}>/g;

export interface EscapeOptions {
  /** Keep @everyone, @here and role mentions live (the message says so explicitly). */
  massMentions?: boolean;
}

/** Escapes one line (or several, each escaped at its start) of plain text for Discord markdown. */
export function escapeMarkdown(text: string, options: EscapeOptions = {}): string {
  return text
    .split("\n")
    .map((line) => escapeLine(line, options))
    .join("\n");
}

function escapeLine(line: string, options: EscapeOptions): string {
  // Split into verbatim pieces (URLs, and live role mentions when allowed) and text to escape.
  const verbatim = options.massMentions ? new RegExp(`${URL.source}|${ROLE_MENTION.source}`, "gi") : URL;
  let result = "";
  let last = 0;
  for (const match of line.matchAll(verbatim)) {
    result += escapeText(line.slice(last, match.index), options);
    result += match[0];
    last = match.index + match[0].length;
  }
  result += escapeText(line.slice(last), options);
  return result.replace(LINE_START_MARKER, "$1\\$2").replace(LINE_START_NUMBER, "$1$2\\.");
}

function escapeText(text: string, options: EscapeOptions): string {
  const escaped = text.replace(INLINE_SPECIAL, "\\$&");
  // allowed_mentions already keeps these silent; the zero-width space also stops them from being
  // rendered as a mention at all.
  return options.massMentions ? escaped : escaped.replace(MASS_MENTION, `@${ZERO_WIDTH_SPACE}$1`);
}

function renderSpan(span: Span, options: EscapeOptions): string {
  if (typeof span === "string") return escapeMarkdown(span, options);
  const link = span.href && /^https?:\/\/[^\s<>]+$/i.test(span.href) ? span.href.replaceAll("(", "%28").replaceAll(")", "%29") : undefined;
  let text: string;
  if (span.style === "code") {
    // Nothing can be escaped inside backticks; a look-alike keeps the span closed.
    text = span.text ? `\`${span.text.replaceAll("`", "ˋ").replaceAll("\n", " ")}\`` : "";
  } else {
    text = escapeMarkdown(span.text, options);
    if (span.style === "bold" && text) text = `**${text}**`;
    if (span.style === "italic" && text) text = `*${text}*`;
  }
  if (!span.href) return text;
  if (!link) return `${text} (${escapeMarkdown(span.href, options)})`;
  // <url> keeps Discord from unfurling a preview under every reminder.
  return span.text === span.href ? `<${link}>` : `[${text}](<${link}>)`;
}

interface Line {
  text: string;
  /** Inside a code block: fences are closed and reopened where the message is split. */
  pre: boolean;
}

function blockLines(block: Block, options: EscapeOptions): Line[] {
  const plain = (text: string): Line[] => text.split("\n").map((line) => ({ text: line, pre: false }));
  switch (block.type) {
    case "heading":
      return plain(block.text.trim() ? `**${escapeMarkdown(block.text, options)}**` : "");
    case "text":
      return plain(block.spans.map((span) => renderSpan(span, options)).join(""));
    case "list":
      return block.items.flatMap((item) => plain(`- ${item.map((span) => renderSpan(span, options)).join("")}`));
    case "pre":
      // A fence inside the text would end the block early.
      return block.text.split("\n").map((line) => ({ text: line.replaceAll(FENCE, `\`${ZERO_WIDTH_SPACE}\`\``), pre: true }));
  }
}

/** The message's text as one or more Discord messages, each within `limit` characters. */
export function renderMessage(message: OutgoingMessage, limit = MESSAGE_LIMIT): string[] {
  const options = { massMentions: message.allowMassMentions ?? false };
  return pack(
    message.blocks.flatMap((block) => blockLines(block, options)),
    limit,
  );
}

/** Packs lines into chunks of at most `limit` characters; a code block split across chunks is fenced in each. */
function pack(lines: Line[], limit: number): string[] {
  const fenceLine = FENCE.length + 1; // "```" and its line break
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  let inPre = false;
  const append = (text: string) => {
    length += (current.length > 0 ? 1 : 0) + text.length;
    current.push(text);
  };
  const flush = () => {
    if (inPre) append(FENCE);
    const text = current.join("\n");
    if (text.trim()) chunks.push(text);
    current = [];
    length = 0;
    inPre = false;
  };
  for (const line of lines) {
    // A code line needs room for an opening and a closing fence around it.
    const room = line.pre ? limit - 2 * fenceLine : limit;
    for (const piece of splitLongLine(line.text, room)) {
      const fence = line.pre !== inPre ? fenceLine : 0;
      const closingReserve = line.pre ? fenceLine : 0;
      if (current.length > 0 && length + 1 + fence + piece.length + closingReserve > limit) flush();
      if (line.pre !== inPre) {
        append(FENCE);
        inPre = line.pre;
      }
      append(piece);
    }
  }
  flush();
  return chunks;
}

/** A line longer than `max` is cut at its last space before the limit, else at the limit. */
function splitLongLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    // Never between a backslash and what it escapes, nor inside a surrogate pair.
    while (cut > 1 && (rest[cut - 1] === "\\" || isHighSurrogate(rest.charCodeAt(cut - 1)))) cut--;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** allowed_mentions for a message: nothing may notify unless the message allows mass mentions. */
export function allowedMentionTypes(message: OutgoingMessage): ("everyone" | "roles")[] {
  return message.allowMassMentions ? ["everyone", "roles"] : [];
}
