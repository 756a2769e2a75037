// The core's neutral OutgoingMessage as Telegram HTML (parse_mode "HTML"). Every piece of text is
// escaped, so nothing a user or coordinator typed (<b>, &, *, _, backticks) can change the
// formatting; styles come only from the message's structure. Long messages are cut into chunks
// that each fit Telegram's limit, on line boundaries where possible, with every chunk valid HTML
// on its own.
import type { Block, OutgoingMessage, Span } from "../../src/core/messages.ts";

/** Characters in one message's text after entity parsing (Bot API sendMessage). */
export const MESSAGE_LIMIT = 4096;
/** Characters in a document's caption. */
export const CAPTION_LIMIT = 1024;

type Style = "bold" | "italic" | "code";

interface Piece {
  text: string;
  style?: Style;
  href?: string;
}

interface Line {
  pieces: Piece[];
  /** Part of a preformatted (monospace) block. */
  pre: boolean;
}

/** One message's worth of text, as HTML and as the plain text Telegram will show. */
export interface Chunk {
  html: string;
  plain: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Telegram has no @everyone, but "@everyone", "@all" and the like are valid usernames, and
 * group helper bots ping every member on them. A word joiner after the "@" keeps the text as
 * written while Telegram no longer sees a mention.
 */
const MASS_MENTION = /@(everyone|here|all|channel)\b/gi;

function neutralizeMentions(text: string): string {
  return text.replace(MASS_MENTION, "@\u2060$1");
}

/** Telegram drops carriage returns; counting them would make chunks look longer than they are. */
function clean(text: string, allowMassMentions: boolean): string {
  const withoutCr = text.replace(/\r/g, "");
  return allowMassMentions ? withoutCr : neutralizeMentions(withoutCr);
}

/**
 * Length as Telegram may count it. UTF-16 code units are never fewer than code points, so a
 * chunk measured this way fits whichever of the two the server counts.
 */
function measure(text: string): number {
  return text.length;
}

function lineLength(line: Line): number {
  return line.pieces.reduce((total, piece) => total + measure(piece.text), 0);
}

function toPiece(span: Span): Piece {
  return typeof span === "string" ? { text: span } : { text: span.text, style: span.style, href: span.href };
}

/** Splits pieces at line breaks, keeping each piece's style on both sides. */
function breakLines(pieces: Piece[], pre = false): Line[] {
  const lines: Line[] = [{ pieces: [], pre }];
  for (const piece of pieces) {
    piece.text.split("\n").forEach((part, index) => {
      if (index > 0) lines.push({ pieces: [], pre });
      if (part !== "") lines.at(-1)!.pieces.push({ ...piece, text: part });
    });
  }
  return lines;
}

function blockLines(block: Block, allowMassMentions: boolean): Line[] {
  const cleaned = (pieces: Piece[]) => pieces.map((piece) => ({ ...piece, text: clean(piece.text, allowMassMentions) }));
  switch (block.type) {
    case "heading":
      return breakLines(cleaned([{ text: block.text, style: "bold" }]));
    case "text":
      return breakLines(cleaned(block.spans.map(toPiece)));
    case "list":
      return block.items.flatMap((item) => breakLines(cleaned([{ text: "• " }, ...item.map(toPiece)])));
    case "pre":
      return breakLines(cleaned([{ text: block.text }]), true);
  }
}

/** Cuts a line longer than `limit` at spaces where it can, mid-word where it must. */
function splitLongLine(line: Line, limit: number): Line[] {
  const result: Line[] = [];
  let current: Piece[] = [];
  let room = limit;
  const flush = () => {
    result.push({ pieces: current, pre: line.pre });
    current = [];
    room = limit;
  };
  for (const piece of line.pieces) {
    let rest = piece.text;
    while (measure(rest) > room) {
      let cut = cutPoint(rest, room);
      if (cut === 0 && current.length === 0) cut = hardCut(rest, room);
      if (cut > 0) current.push({ ...piece, text: rest.slice(0, cut) });
      rest = rest.slice(cut);
      flush();
    }
    if (rest !== "") {
      current.push({ ...piece, text: rest });
      room -= measure(rest);
    }
  }
  if (current.length > 0) flush();
  return result;
}

/** The end of the last whole word within `room` code units (0 when there is none). */
function cutPoint(text: string, room: number): number {
  const space = text.lastIndexOf(" ", room - 1);
  return space > 0 ? space + 1 : 0;
}

/** `room` code units, never splitting a surrogate pair (an emoji). */
function hardCut(text: string, room: number): number {
  const code = text.charCodeAt(room - 1);
  return code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
}

function pieceHtml(piece: Piece): string {
  let html = escapeHtml(piece.text);
  if (piece.style === "bold") html = `<b>${html}</b>`;
  else if (piece.style === "italic") html = `<i>${html}</i>`;
  else if (piece.style === "code") html = `<code>${html}</code>`;
  if (piece.href && /^https?:\/\//i.test(piece.href)) html = `<a href="${escapeHtml(piece.href).replace(/"/g, "&quot;")}">${html}</a>`;
  return html;
}

function chunkOf(lines: Line[]): Chunk {
  const parts: string[] = [];
  for (let index = 0; index < lines.length; ) {
    if (lines[index]!.pre) {
      const block: string[] = [];
      while (index < lines.length && lines[index]!.pre) block.push(lines[index++]!.pieces.map((piece) => escapeHtml(piece.text)).join(""));
      parts.push(`<pre>${block.join("\n")}</pre>`);
    } else {
      parts.push(lines[index++]!.pieces.map(pieceHtml).join(""));
    }
  }
  return { html: parts.join("\n"), plain: lines.map((line) => line.pieces.map((piece) => piece.text).join("")).join("\n") };
}

/** The message's text as chunks of at most `limit` characters each; empty when it has no text. */
export function renderChunks(message: OutgoingMessage, limit = MESSAGE_LIMIT): Chunk[] {
  const lines = message.blocks
    .flatMap((block) => blockLines(block, message.allowMassMentions ?? false))
    .flatMap((line) => (lineLength(line) > limit ? splitLongLine(line, limit) : [line]));
  const chunks: Chunk[] = [];
  let current: Line[] = [];
  let length = 0;
  for (const line of lines) {
    const added = lineLength(line) + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && length + added > limit) {
      chunks.push(chunkOf(current));
      current = [];
      length = 0;
    }
    length += lineLength(line) + (current.length > 0 ? 1 : 0);
    current.push(line);
  }
  if (current.length > 0) chunks.push(chunkOf(current));
  // Telegram refuses a message that is only whitespace.
  return chunks.filter((chunk) => chunk.plain.trim() !== "");
}
