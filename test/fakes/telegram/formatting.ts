/**
 * Text formatting as the Bot API server does it: `parse_mode` parsing (HTML,
 * MarkdownV2, legacy Markdown), clean-up/trimming of the resulting text, and
 * automatic detection of bot commands, mentions, hashtags, cashtags, URLs and
 * e-mail addresses.
 *
 * The parsers follow the behaviour of TDLib (which the Bot API server uses):
 * same tag set, same escapes, same error wording ("Unsupported start tag
 * \"x\" at byte offset N", "Character '.' is reserved and must be escaped
 * with the preceding '\\'", ...). Byte offsets are UTF-8 byte offsets into
 * the original string; entity offsets/lengths are UTF-16 code units, as in
 * the Bot API.
 */
import type { MessageEntity, User } from "grammy/types";

/** Thrown by the parsers; the server wraps it as "Bad Request: can't parse entities: <message>". */
export class EntityParseError extends Error {
  override name = "EntityParseError";
}

/** Loose entity shape used internally; converted to grammY's MessageEntity at the boundary. */
export interface FakeEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  user?: User;
  unix_time?: number;
  date_time_format?: string;
}

export interface FormattedText {
  text: string;
  entities: FakeEntity[];
}

export interface ParseOptions {
  /**
   * Reject a bare `&` that does not start a valid HTML entity. The Bot API
   * documentation requires escaping it (`&amp;`); the real server is lenient
   * and keeps it as text. Default in the fake: strict.
   */
  strictAmpersand?: boolean;
  /** Resolves `tg://user?id=N` links to a User (for text_mention entities). */
  resolveUser?: (id: number) => User | undefined;
}

const byteOffset = (s: string, i: number): number => Buffer.byteLength(s.slice(0, i), "utf8");

const isSpace = (ch: string | undefined): boolean =>
  ch === " " || ch === "\t" || ch === "\r" || ch === "\n" || ch === "\v" || ch === "\f";

const sortEntities = (entities: FakeEntity[]): FakeEntity[] =>
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);

// ---------------------------------------------------------------------------
// Links

/**
 * Mirrors LinkManager::get_checked_link loosely: http(s) URLs are normalised
 * (a bare domain gets "http://" and a trailing "/"), tg:, ton: and ftp: links
 * are kept, anything else is not a link (the entity is silently dropped).
 */
export function checkLink(raw: string): string | undefined {
  const url = raw.trim();
  if (url === "") return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== undefined && !/^[a-z][a-z0-9+.-]*:\d/i.test(url)) {
    if (scheme === "http" || scheme === "https") {
      try {
        const parsed = new URL(url);
        return parsed.hostname === "" ? undefined : parsed.href;
      } catch {
        return undefined;
      }
    }
    if (scheme === "tg" || scheme === "ton" || scheme === "ftp") return url;
    return undefined;
  }
  try {
    const parsed = new URL(`http://${url}`);
    return parsed.hostname.includes(".") ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function mentionUserId(url: string): number | undefined {
  const m = /^tg:(?:\/\/)?user\?id=(\d+)$/i.exec(url.trim());
  return m ? Number(m[1]) : undefined;
}

function linkEntity(url: string, offset: number, length: number, opts: ParseOptions): FakeEntity | undefined {
  const userId = mentionUserId(url);
  if (userId !== undefined) {
    const user = opts.resolveUser?.(userId) ?? { id: userId, is_bot: false, first_name: "" };
    return { type: "text_mention", offset, length, user };
  }
  const checked = checkLink(url);
  return checked === undefined ? undefined : { type: "text_link", offset, length, url: checked };
}

const DATE_TIME_FORMAT = /^(r|w?[dD]?[tT]?)$/;

// ---------------------------------------------------------------------------
// HTML

const HTML_TAGS = new Set([
  "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
  "tg-spoiler", "tg-emoji", "tg-time", "span", "pre", "code", "blockquote",
]);

function decodeHtmlEntity(s: string, pos: number): { char: string; end: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (s[pos + 1] === "#") {
    end++;
    if (s[pos + 2] === "x") {
      end++;
      while (end < s.length && /[0-9a-fA-F]/.test(s[end]!)) code = code * 16 + parseInt(s[end++]!, 16);
    } else {
      while (end < s.length && /[0-9]/.test(s[end]!)) code = code * 10 + Number(s[end++]);
    }
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (end < s.length && /[A-Za-z]/.test(s[end]!)) end++;
    const name = s.slice(pos + 1, end);
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    const value = named[name];
    if (value === undefined) return undefined;
    code = value;
  }
  if (s[end] === ";") end++;
  return { char: String.fromCodePoint(code), end };
}

interface HtmlOpenTag {
  tag: string;
  argument: string;
  offset: number;
  expandable: boolean;
  attributes: Record<string, string>;
}

/** Parses Telegram-flavoured HTML. Throws EntityParseError like the real server. */
export function parseHtml(src: string, opts: ParseOptions = {}): FormattedText {
  const strictAmpersand = opts.strictAmpersand ?? true;
  let out = "";
  const entities: FakeEntity[] = [];
  const stack: HtmlOpenTag[] = [];
  const n = src.length;
  let i = 0;
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };

  while (i < n) {
    const c = src[i]!;
    if (c === "&") {
      const decoded = decodeHtmlEntity(src, i);
      if (decoded) {
        out += decoded.char;
        i = decoded.end;
        continue;
      }
      if (strictAmpersand) {
        fail(
          `Unescaped '&' at byte offset ${byteOffset(src, i)}; it must be written as &amp; ` +
            `(strict check of the fake, per the Bot API docs)`,
        );
      }
      out += c;
      i++;
      continue;
    }
    if (c !== "<") {
      out += c;
      i++;
      continue;
    }

    const begin = i;
    const at = () => byteOffset(src, begin);
    i++;
    if (src[i] !== "/") {
      // start tag
      while (i < n && !isSpace(src[i]) && src[i] !== ">") i++;
      if (i >= n) fail(`Unclosed start tag at byte offset ${at()}`);
      const tag = src.slice(begin + 1, i).toLowerCase();
      if (!HTML_TAGS.has(tag)) fail(`Unsupported start tag "${tag}" at byte offset ${at()}`);

      let argument = "";
      let expandable = false;
      const attributes: Record<string, string> = {};
      while (src[i] !== ">") {
        while (i < n && isSpace(src[i])) i++;
        if (i >= n) fail(`Unclosed start tag at byte offset ${at()}`);
        if (src[i] === ">") break;
        const attrBegin = i;
        while (i < n && !isSpace(src[i]) && src[i] !== "=" && src[i] !== ">") i++;
        const attrName = src.slice(attrBegin, i);
        if (attrName === "") fail(`Empty attribute name in the tag "${tag}" at byte offset ${at()}`);
        while (i < n && isSpace(src[i])) i++;
        if (src[i] !== "=") {
          if (tag === "blockquote" && attrName.toLowerCase() === "expandable") {
            expandable = true;
            continue;
          }
          fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${at()}`);
        }
        i++;
        while (i < n && isSpace(src[i])) i++;
        if (i >= n) fail(`Unclosed start tag "${tag}" at byte offset ${at()}`);

        let value = "";
        const quote = src[i];
        if (quote !== "'" && quote !== '"') {
          const tokenBegin = i;
          while (i < n && /[A-Za-z0-9.-]/.test(src[i]!)) i++;
          value = src.slice(tokenBegin, i).toLowerCase();
          if (i < n && !isSpace(src[i]) && src[i] !== ">") {
            fail(`Unexpected end of name token at byte offset ${byteOffset(src, tokenBegin)}`);
          }
        } else {
          i++;
          while (i < n && src[i] !== quote) {
            if (src[i] === "&") {
              const decoded = decodeHtmlEntity(src, i);
              if (decoded) {
                value += decoded.char;
                i = decoded.end;
                continue;
              }
            }
            value += src[i];
            i++;
          }
          if (src[i] === quote) i++;
        }
        if (i >= n) fail(`Unclosed start tag at byte offset ${at()}`);

        attributes[attrName] = value;
        if (tag === "a" && attrName === "href") argument = value;
        else if (tag === "code" && attrName === "class" && value.startsWith("language-")) argument = value.slice(9);
        else if (tag === "span" && attrName === "class" && value.startsWith("tg-")) argument = value.slice(3);
        else if (tag === "tg-emoji" && attrName === "emoji-id") argument = value;
      }
      if (tag === "span" && argument !== "spoiler") {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${at()}`);
      }
      stack.push({ tag, argument, offset: out.length, expandable, attributes });
      i++; // '>'
      continue;
    }

    // end tag
    if (stack.length === 0) fail(`Unexpected end tag at byte offset ${at()}`);
    while (i < n && !isSpace(src[i]) && src[i] !== ">") i++;
    const endTag = src.slice(begin + 2, i).toLowerCase();
    while (i < n && isSpace(src[i])) i++;
    if (src[i] !== ">") fail(`Unclosed end tag at byte offset ${at()}`);
    const open = stack[stack.length - 1]!;
    if (endTag !== "" && endTag !== open.tag) {
      fail(`Unmatched end tag at byte offset ${at()}, expected "</${open.tag}>", found "</${endTag}>"`);
    }
    if (out.length > open.offset) {
      const offset = open.offset;
      const length = out.length - offset;
      const last = entities[entities.length - 1];
      switch (open.tag) {
        case "i":
        case "em":
          entities.push({ type: "italic", offset, length });
          break;
        case "b":
        case "strong":
          entities.push({ type: "bold", offset, length });
          break;
        case "s":
        case "strike":
        case "del":
          entities.push({ type: "strikethrough", offset, length });
          break;
        case "u":
        case "ins":
          entities.push({ type: "underline", offset, length });
          break;
        case "tg-spoiler":
        case "span":
          entities.push({ type: "spoiler", offset, length });
          break;
        case "tg-emoji": {
          if (!/^\d+$/.test(open.argument) || BigInt(open.argument) === 0n) {
            fail("Invalid custom emoji identifier specified");
          }
          entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: open.argument });
          break;
        }
        case "tg-time": {
          const unix = open.attributes["unix"];
          if (unix === undefined || !/^-?\d+$/.test(unix)) fail("Invalid Unix time specified in the tag \"tg-time\"");
          const format = open.attributes["format"];
          if (format !== undefined && format !== "" && !DATE_TIME_FORMAT.test(format)) {
            fail(`Invalid date-time format "${format}" specified in the tag "tg-time"`);
          }
          const entity: FakeEntity = { type: "date_time", offset, length, unix_time: Number(unix) };
          if (format) entity.date_time_format = format;
          entities.push(entity);
          break;
        }
        case "a": {
          const url = open.argument !== "" ? open.argument : out.slice(offset);
          const entity = linkEntity(url, offset, length, opts);
          if (entity) entities.push(entity);
          break;
        }
        case "pre":
          if (last && last.type === "code" && last.offset === offset && last.length === length && last.language) {
            last.type = "pre";
          } else {
            entities.push({ type: "pre", offset, length });
          }
          break;
        case "code":
          if (last && last.type === "pre" && last.offset === offset && last.length === length && open.argument) {
            last.language = open.argument;
          } else {
            const entity: FakeEntity = { type: "code", offset, length };
            if (open.argument) entity.language = open.argument;
            entities.push(entity);
          }
          break;
        case "blockquote":
          entities.push({ type: open.expandable ? "expandable_blockquote" : "blockquote", offset, length });
          break;
      }
    }
    stack.pop();
    i++; // '>'
  }
  if (stack.length > 0) {
    fail(`Can't find end tag corresponding to start tag ${stack[stack.length - 1]!.tag}`);
  }
  for (const entity of entities) {
    if (entity.type === "code") delete entity.language;
  }
  return { text: out, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------------------
// MarkdownV2

type MdType =
  | "Bold" | "Italic" | "Underline" | "Strikethrough" | "Spoiler" | "Code" | "Pre" | "PreCode"
  | "TextUrl" | "CustomEmoji" | "BlockQuote";

interface MdOpen {
  type: MdType;
  argument: string;
  offset: number;
  byteIndex: number;
  expandable: boolean;
}

const MD_RESERVED = "_*[]()~`>#+-=|{}.!\n";

/** Parses MarkdownV2. Throws EntityParseError like the real server. */
export function parseMarkdownV2(src: string, opts: ParseOptions = {}): FormattedText {
  let out = "";
  const entities: FakeEntity[] = [];
  const stack: MdOpen[] = [];
  let haveBlockquote = false;
  const n = src.length;
  const fail = (message: string): never => {
    throw new EntityParseError(message);
  };
  const reservedError = (ch: string) =>
    fail(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
  const isEscapable = (ch: string | undefined) => {
    if (ch === undefined) return false;
    const code = ch.charCodeAt(0);
    return code > 0 && code <= 126;
  };
  const readUrl = (start: number): { url: string; end: number } => {
    let i = start;
    let url = "";
    while (i < n && src[i] !== ")") {
      if (src[i] === "\\" && isEscapable(src[i + 1])) {
        url += src[i + 1];
        i += 2;
        continue;
      }
      url += src[i];
      i++;
    }
    return { url, end: i };
  };

  for (let i = 0; i < n; i++) {
    const c = src[i]!;
    if (c === "\\" && isEscapable(src[i + 1])) {
      i++;
      out += src[i];
      continue;
    }
    const top = stack[stack.length - 1];
    const inCode = top !== undefined && (top.type === "Code" || top.type === "Pre" || top.type === "PreCode");
    const reserved = inCode ? "`" : MD_RESERVED;
    if (!reserved.includes(c)) {
      out += c;
      continue;
    }

    // "||" at the very end of a block quotation marks it expandable.
    if (
      top?.type === "BlockQuote" && c === "|" && src[i + 1] === "|" &&
      (i + 2 === n || src[i + 2] === "\n")
    ) {
      top.expandable = true;
      i++;
      continue;
    }

    let isEnd = false;
    if (top) {
      if (haveBlockquote && c === "\n" && (i + 1 === n || src[i + 1] !== ">")) {
        isEnd = true;
      } else {
        switch (top.type) {
          case "Bold":
            isEnd = c === "*";
            break;
          case "Italic":
            isEnd = c === "_" && src[i + 1] !== "_";
            break;
          case "Code":
            isEnd = c === "`";
            break;
          case "Pre":
          case "PreCode":
            isEnd = c === "`" && src[i + 1] === "`" && src[i + 2] === "`";
            break;
          case "TextUrl":
          case "CustomEmoji":
            isEnd = c === "]";
            break;
          case "Underline":
            isEnd = c === "_" && src[i + 1] === "_";
            break;
          case "Strikethrough":
            isEnd = c === "~";
            break;
          case "Spoiler":
            isEnd = c === "|" && src[i + 1] === "|";
            break;
          case "BlockQuote":
            isEnd = false;
            break;
        }
      }
    }

    if (!isEnd) {
      let type: MdType | undefined;
      let argument = "";
      const entityByteIndex = i;
      switch (c) {
        case "_":
          if (src[i + 1] === "_") {
            type = "Underline";
            i++;
          } else {
            type = "Italic";
          }
          break;
        case "*":
          type = "Bold";
          break;
        case "~":
          type = "Strikethrough";
          break;
        case "|":
          if (src[i + 1] !== "|") reservedError(c);
          i++;
          type = "Spoiler";
          break;
        case "[":
          type = "TextUrl";
          break;
        case "`":
          if (src[i + 1] === "`" && src[i + 2] === "`") {
            i += 3;
            type = "Pre";
            let languageEnd = i;
            while (languageEnd < n && !isSpace(src[languageEnd]) && src[languageEnd] !== "`") languageEnd++;
            if (i !== languageEnd && languageEnd < n && src[languageEnd] !== "`") {
              type = "PreCode";
              argument = src.slice(i, languageEnd);
              i = languageEnd;
            }
            if (src[i] === "\n" || src[i] === "\r") {
              if ((src[i + 1] === "\n" || src[i + 1] === "\r") && src[i] !== src[i + 1]) i += 2;
              else i++;
            }
            i--;
          } else {
            type = "Code";
          }
          break;
        case "!":
          if (src[i + 1] !== "[") reservedError(c);
          i++;
          type = "CustomEmoji";
          break;
        case "\n":
          out += "\n";
          if (i + 1 < n && src[i + 1] === ">") {
            i++;
            if (!haveBlockquote) {
              type = "BlockQuote";
              haveBlockquote = true;
            }
          }
          break;
        case ">":
          // A quotation starts at the beginning of a line (possibly after an
          // empty entity such as the "**" separator before an expandable one).
          if (!haveBlockquote && (out.length === 0 || out.endsWith("\n"))) {
            type = "BlockQuote";
            haveBlockquote = true;
          } else {
            reservedError(c);
          }
          break;
        default:
          reservedError(c);
      }
      if (type === undefined) continue;
      stack.push({ type, argument, offset: out.length, byteIndex: entityByteIndex, expandable: false });
      continue;
    }

    // end of an entity
    const open = top!;
    if (c === "\n" && open.type !== "BlockQuote") {
      fail(`Can't find end of ${open.type} entity at byte offset ${byteOffset(src, open.byteIndex)}`);
    }
    let skip = out.length === open.offset;
    const offset = open.offset;
    const length = out.length - offset;
    let entity: FakeEntity | undefined;
    switch (open.type) {
      case "Bold":
        entity = { type: "bold", offset, length };
        break;
      case "Italic":
        entity = { type: "italic", offset, length };
        break;
      case "Code":
        entity = { type: "code", offset, length };
        break;
      case "Strikethrough":
        entity = { type: "strikethrough", offset, length };
        break;
      case "Underline":
        i++;
        entity = { type: "underline", offset, length };
        break;
      case "Spoiler":
        i++;
        entity = { type: "spoiler", offset, length };
        break;
      case "Pre":
      case "PreCode":
        i += 2;
        entity = { type: "pre", offset, length };
        if (open.type === "PreCode") entity.language = open.argument;
        break;
      case "TextUrl": {
        let url: string;
        if (src[i + 1] !== "(") {
          url = out.slice(open.offset);
        } else {
          const urlBegin = i + 2;
          const read = readUrl(urlBegin);
          i = read.end;
          if (src[i] !== ")") fail(`Can't find end of a URL at byte offset ${byteOffset(src, urlBegin)}`);
          url = read.url;
        }
        entity = linkEntity(url, offset, length, opts);
        if (!entity) skip = true;
        break;
      }
      case "CustomEmoji": {
        if (src[i + 1] !== "(") fail("Custom emoji entity must contain a tg://emoji URL");
        const urlBegin = i + 2;
        const read = readUrl(urlBegin);
        i = read.end;
        if (src[i] !== ")") fail(`Can't find end of a custom emoji URL at byte offset ${byteOffset(src, urlBegin)}`);
        const emoji = /^tg:\/\/emoji\?id=(\d+)$/i.exec(read.url);
        const time = /^tg:\/\/time\?(.*)$/i.exec(read.url);
        if (emoji) {
          entity = { type: "custom_emoji", offset, length, custom_emoji_id: emoji[1]! };
        } else if (time) {
          const query = new URLSearchParams(time[1]);
          const unix = query.get("unix");
          if (unix === null || !/^-?\d+$/.test(unix)) fail("Invalid Unix time specified in the tg://time URL");
          const format = query.get("format");
          if (format !== null && format !== "" && !DATE_TIME_FORMAT.test(format)) {
            fail(`Invalid date-time format "${format}" specified in the tg://time URL`);
          }
          entity = { type: "date_time", offset, length, unix_time: Number(unix) };
          if (format) entity.date_time_format = format;
        } else {
          fail("Custom emoji URL must have an emoji identifier");
        }
        break;
      }
      case "BlockQuote":
        haveBlockquote = false;
        entity = { type: open.expandable ? "expandable_blockquote" : "blockquote", offset, length };
        out += "\n";
        break;
    }
    if (!skip && entity) entities.push(entity);
    stack.pop();
  }
  if (haveBlockquote) {
    const open = stack[stack.length - 1];
    if (open?.type === "BlockQuote") {
      haveBlockquote = false;
      const length = out.length - open.offset;
      if (length !== 0) {
        entities.push({ type: open.expandable ? "expandable_blockquote" : "blockquote", offset: open.offset, length });
      }
      stack.pop();
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    fail(`Can't find end of ${open.type} entity at byte offset ${byteOffset(src, open.byteIndex)}`);
  }
  return { text: out, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------------------
// Legacy Markdown

/** Parses the legacy "Markdown" parse mode. */
export function parseMarkdown(src: string, opts: ParseOptions = {}): FormattedText {
  let out = "";
  const entities: FakeEntity[] = [];
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const c = src[i]!;
    if (c === "\\" && (src[i + 1] === "_" || src[i + 1] === "*" || src[i + 1] === "`" || src[i + 1] === "[")) {
      i++;
      out += src[i];
      continue;
    }
    if (c !== "_" && c !== "*" && c !== "`" && c !== "[") {
      out += c;
      continue;
    }
    const begin = i;
    const endCharacter = c === "[" ? "]" : c;
    let isPre = false;
    let language = "";
    i++;
    if (c === "`" && src[i] === "`" && src[i + 1] === "`") {
      i += 2;
      isPre = true;
      let languageEnd = i;
      while (languageEnd < n && !isSpace(src[languageEnd]) && src[languageEnd] !== "`") languageEnd++;
      if (i !== languageEnd && languageEnd < n && src[languageEnd] !== "`") {
        language = src.slice(i, languageEnd);
        i = languageEnd;
      }
      if (src[i] === "\n" || src[i] === "\r") {
        if ((src[i + 1] === "\n" || src[i + 1] === "\r") && src[i] !== src[i + 1]) i += 2;
        else i++;
      }
    }
    const offset = out.length;
    while (i < n && (src[i] !== endCharacter || (isPre && !(src[i + 1] === "`" && src[i + 2] === "`")))) {
      out += src[i];
      i++;
    }
    if (i >= n) {
      throw new EntityParseError(`Can't find end of the entity starting at byte offset ${byteOffset(src, begin)}`);
    }
    const length = out.length - offset;
    if (length > 0) {
      switch (c) {
        case "_":
          entities.push({ type: "italic", offset, length });
          break;
        case "*":
          entities.push({ type: "bold", offset, length });
          break;
        case "[": {
          let url: string;
          if (src[i + 1] !== "(") {
            url = src.slice(begin + 1, i);
          } else {
            i += 2;
            url = "";
            while (i < n && src[i] !== ")") url += src[i++];
          }
          const entity = linkEntity(url, offset, length, opts);
          if (entity) entities.push(entity);
          break;
        }
        case "`":
          if (isPre) {
            const entity: FakeEntity = { type: "pre", offset, length };
            if (language) entity.language = language;
            entities.push(entity);
          } else {
            entities.push({ type: "code", offset, length });
          }
          break;
      }
    }
    if (isPre) i += 2;
  }
  return { text: out, entities: sortEntities(entities) };
}

// ---------------------------------------------------------------------------
// Automatic entity detection

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
const isHashtagLetter = (ch: string | undefined) =>
  ch !== undefined && (/[\p{L}\p{Nd}_\u200c\u00b7\u0d80-\u0dff]/u.test(ch));
const isAsciiWord = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_]/.test(ch);

/** The code point that ends right before UTF-16 index i. */
function charBefore(text: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) return text.slice(i - 2, i);
  return text[i - 1];
}

function charAt(text: string, i: number): string | undefined {
  if (i >= text.length) return undefined;
  const cp = text.codePointAt(i)!;
  return String.fromCodePoint(cp);
}

function findBotCommands(text: string): FakeEntity[] {
  const result: FakeEntity[] = [];
  for (let p = text.indexOf("/"); p !== -1; p = text.indexOf("/", p + 1)) {
    const prev = charBefore(text, p);
    if (isWordChar(prev) || prev === "/" || prev === "<" || prev === ">") continue;
    let q = p + 1;
    while (q < text.length && isAsciiWord(text[q])) q++;
    const size = q - p - 1;
    if (size < 1 || size > 64) continue;
    let end = q;
    if (text[q] === "@") {
      let m = q + 1;
      while (m < text.length && isAsciiWord(text[m])) m++;
      const mentionSize = m - q - 1;
      if (mentionSize < 3 || mentionSize > 32) continue;
      end = m;
      q = m;
    }
    const next = charAt(text, q);
    if (isWordChar(next) || next === "/" || next === "<" || next === ">") continue;
    result.push({ type: "bot_command", offset: p, length: end - p });
  }
  return result;
}

function findMentions(text: string): FakeEntity[] {
  const result: FakeEntity[] = [];
  for (let p = text.indexOf("@"); p !== -1; p = text.indexOf("@", p + 1)) {
    if (isWordChar(charBefore(text, p))) continue;
    let q = p + 1;
    while (q < text.length && isAsciiWord(text[q])) q++;
    const size = q - p - 1;
    if (size < 5 || size > 32) continue;
    if (isWordChar(charAt(text, q))) continue;
    result.push({ type: "mention", offset: p, length: q - p });
  }
  return result;
}

function findHashtags(text: string): FakeEntity[] {
  const result: FakeEntity[] = [];
  for (let p = text.indexOf("#"); p !== -1; p = text.indexOf("#", p + 1)) {
    if (isHashtagLetter(charBefore(text, p))) continue;
    let q = p + 1;
    let count = 0;
    let end = q;
    let sawLetter = false;
    while (q < text.length) {
      const ch = charAt(text, q)!;
      if (!isHashtagLetter(ch)) break;
      q += ch.length;
      if (count < 256) {
        count++;
        end = q;
        if (/\p{L}/u.test(ch)) sawLetter = true;
      }
    }
    if (count < 1 || text[q] === "#" || !sawLetter) continue;
    result.push({ type: "hashtag", offset: p, length: end - p });
  }
  return result;
}

function findCashtags(text: string): FakeEntity[] {
  const result: FakeEntity[] = [];
  for (let p = text.indexOf("$"); p !== -1; p = text.indexOf("$", p + 1)) {
    const prev = charBefore(text, p);
    if (isHashtagLetter(prev) || prev === "$") continue;
    let q = p + 1;
    if (text.startsWith("1INCH", q)) q += 5;
    else while (q < text.length && /[A-Z]/.test(text[q]!)) q++;
    const size = q - p - 1;
    if (size < 1 || size > 8) continue;
    const next = charAt(text, q);
    if (isHashtagLetter(next) || next === "$") continue;
    result.push({ type: "cashtag", offset: p, length: q - p });
  }
  return result;
}

const COMMON_TLDS =
  "com|org|net|io|me|ru|de|uk|fr|it|es|nl|eu|dev|app|info|biz|co|edu|gov|us|ca|au|in|jp|cn|br|ch|se|no|fi|pl|ua|by|kz|tv|ai|xyz|site|online|tech|ly|gg|so";
const URL_PATTERN = new RegExp(
  String.raw`(?:(?:https?|ftp):\/\/[^\s<>"]+|www\.[^\s<>"]+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:${COMMON_TLDS})\b(?:[:/?#][^\s<>"]*)?)`,
  "giu",
);
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

function trimUrl(candidate: string): string {
  let url = candidate;
  // strip trailing punctuation, keeping balanced parentheses
  for (;;) {
    const last = url[url.length - 1];
    if (last === undefined) break;
    if (".,;:!?'\"]}".includes(last)) {
      url = url.slice(0, -1);
      continue;
    }
    if (last === ")") {
      const opens = url.split("(").length - 1;
      const closes = url.split(")").length - 1;
      if (closes > opens) {
        url = url.slice(0, -1);
        continue;
      }
    }
    break;
  }
  return url;
}

function findUrlsAndEmails(text: string): FakeEntity[] {
  const result: FakeEntity[] = [];
  for (const m of text.matchAll(EMAIL_PATTERN)) {
    const p = m.index;
    if (isWordChar(charBefore(text, p)) && !/[._%+-]/.test(text[p - 1] ?? "")) continue;
    result.push({ type: "email", offset: p, length: m[0].length });
  }
  for (const m of text.matchAll(URL_PATTERN)) {
    const p = m.index;
    const prev = charBefore(text, p);
    if (isWordChar(prev) || prev === "@" || prev === "." || prev === "/") continue;
    const url = trimUrl(m[0]);
    if (url.length <= 4) continue;
    result.push({ type: "url", offset: p, length: url.length });
  }
  return result;
}

const overlaps = (a: FakeEntity, b: FakeEntity) => a.offset < b.offset + b.length && b.offset < a.offset + a.length;

/** Entities Telegram detects by itself in plain text (commands, mentions, URLs, ...). */
export function findEntities(text: string): FakeEntity[] {
  const chosen: FakeEntity[] = [];
  const candidates = [
    ...findBotCommands(text),
    ...findUrlsAndEmails(text),
    ...findMentions(text),
    ...findHashtags(text),
    ...findCashtags(text),
  ];
  for (const candidate of candidates) {
    if (!chosen.some((e) => overlaps(e, candidate))) chosen.push(candidate);
  }
  return sortEntities(chosen);
}

// ---------------------------------------------------------------------------
// Clean-up and trimming (fix_formatted_text)

const SPLITTABLE = new Set(["bold", "italic", "underline", "strikethrough", "spoiler"]);
const HIDDEN_DATA = new Set(["text_link", "text_mention", "custom_emoji", "date_time"]);
const isBlockquote = (type: string) => type === "blockquote" || type === "expandable_blockquote";
const isWs = (ch: string | undefined) => ch === " " || ch === "\n";

/**
 * Cleans text the way the server does before storing a message: control
 * characters become spaces, '\r' and some invisible direction marks are
 * removed, whitespace-only entities are dropped, surrounding spaces/newlines
 * are trimmed, and automatically detected entities are merged in.
 * Returns undefined if nothing but whitespace is left.
 */
export function finalizeFormattedText(input: FormattedText, detect = true): FormattedText | undefined {
  const source = input.text;
  const map: number[] = new Array<number>(source.length + 1);
  let text = "";
  for (let k = 0; k < source.length; k++) {
    map[k] = text.length;
    const code = source.charCodeAt(k);
    if (code === 13) continue;
    if (code >= 0x2028 && code <= 0x202e) continue;
    if (code === 0x0333 || code === 0x033f || code === 0x030a) continue;
    if (code < 32 && code !== 10) {
      text += " ";
      continue;
    }
    text += source[k];
  }
  map[source.length] = text.length;

  let entities: FakeEntity[] = [];
  for (const e of input.entities) {
    const start = map[Math.min(Math.max(e.offset, 0), source.length)]!;
    const end = map[Math.min(Math.max(e.offset + e.length, 0), source.length)]!;
    if (end <= start) continue;
    const copy = { ...e, offset: start, length: end - start };
    if (!HIDDEN_DATA.has(copy.type)) {
      while (copy.length > 0 && isWs(text[copy.offset])) {
        copy.offset++;
        copy.length--;
      }
      let hasContent = false;
      for (let k = copy.offset; k < copy.offset + copy.length; k++) {
        if (!isWs(text[k])) {
          hasContent = true;
          break;
        }
      }
      if (!hasContent) continue;
    }
    entities.push(copy);
  }

  let last = text.length - 1;
  while (last >= 0 && isWs(text[last])) last--;
  if (last < 0) return undefined;

  // rtrim
  text = text.slice(0, last + 1);
  entities = entities.filter((e) => e.offset <= last);
  for (const e of entities) {
    if (e.offset + e.length > last + 1) e.length = last + 1 - e.offset;
  }
  sortEntities(entities);

  // ltrim (only up to the first entity)
  const firstEntity = entities.length > 0 ? entities[0]!.offset : text.length;
  let first = 0;
  while (first < firstEntity && isWs(text[first])) first++;
  if (first > 0) {
    text = text.slice(first);
    for (const e of entities) e.offset -= first;
  }

  if (detect) {
    for (const found of findEntities(text)) {
      const clash = entities.some((e) => {
        if (SPLITTABLE.has(e.type)) return false;
        if (isBlockquote(e.type)) {
          const inside = found.offset >= e.offset && found.offset + found.length <= e.offset + e.length;
          return !inside && overlaps(e, found);
        }
        return overlaps(e, found);
      });
      if (!clash) entities.push(found);
    }
  }
  return { text, entities: sortEntities(entities) };
}

/** Number of Unicode code points: the unit of Telegram's 4096/1024 length limits. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code >= 0xdc00 && code <= 0xdfff && k > 0) {
      const prev = text.charCodeAt(k - 1);
      if (prev >= 0xd800 && prev <= 0xdbff) continue;
    }
    count++;
  }
  return count;
}

/** Parses `text` according to `parseMode` (case-insensitive; undefined/"" = plain text). */
export function parseWithMode(text: string, parseMode: string | undefined, opts: ParseOptions): FormattedText {
  switch ((parseMode ?? "").toLowerCase()) {
    case "":
      return { text, entities: [] };
    case "html":
      return parseHtml(text, opts);
    case "markdownv2":
      return parseMarkdownV2(text, opts);
    case "markdown":
      return parseMarkdown(text, opts);
    default:
      throw new Error(`unsupported parse_mode ${parseMode}`);
  }
}

export const isSupportedParseMode = (mode: string | undefined) =>
  mode === undefined || ["", "html", "markdownv2", "markdown"].includes(mode.toLowerCase());

/** Converts internal entities to the Bot API shape. */
export const toMessageEntities = (entities: FakeEntity[]): MessageEntity[] =>
  entities.map((e) => ({ ...e }) as MessageEntity);
