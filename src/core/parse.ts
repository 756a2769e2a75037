// Typed text to argument values: "/register Tenants of Kreuzberg country=DE tz=Berlin".
// Words fill positional arguments in order, name=value (or alias=value) fills named ones,
// quotes group words. Validation is not done here but by each argument's zod schema.
//
// Commands with free text (announcements, homework) read their declared options wherever they
// stand, before, between or after the words: "/announce Meeting moved. at=\"2026-12-06 10:00\"".
// Only the names the command declares count, so "https://x.org/?id=3" or "E=mc2" stay text; a
// declared name=value meant as text is put in quotes ("at=noon") and reaches the text unquoted.
import type { ArgSpec, ArgSpecs } from "./args.ts";
import type { CommandDefinition } from "./command.ts";
import { UserError } from "./errors.ts";

interface Token {
  value: string;
  start: number;
  /** Index just after the token's last character. */
  end: number;
  /** Began with a quote: always a plain word, never name=value. */
  quoted: boolean;
}

const QUOTES: Record<string, string> = { '"': '"', "'": "'", "“": "”", "„": "“", "«": "»", "‘": "’" };

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    while (index < text.length && /\s/.test(text[index]!)) index++;
    if (index >= text.length) break;
    const start = index;
    let value = "";
    while (index < text.length && !/\s/.test(text[index]!)) {
      const close = QUOTES[text[index]!];
      if (close) {
        const end = text.indexOf(close, index + 1);
        if (end !== -1) {
          value += text.slice(index + 1, end);
          index = end + 1;
          continue;
        }
      }
      value += text[index];
      index++;
    }
    tokens.push({ value, start, end: index, quoted: QUOTES[text[start]!] !== undefined && value !== text.slice(start, index) });
  }
  return tokens;
}

function findArg(args: ArgSpecs, key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.entries(args).find(([name, spec]) => name.toLowerCase() === lower || spec.aliases.includes(lower))?.[0];
}

const OPTION = /^([A-Za-z][\w-]*)=(.*)$/s;

/** The token as a declared option, whether or not it was quoted. */
function optionOf(token: Token, args: ArgSpecs): { name: string; value: string } | undefined {
  const match = OPTION.exec(token.value);
  if (!match) return undefined;
  const name = findArg(args, match[1]!);
  return name ? { name, value: match[2]! } : undefined;
}

/** Raw (unvalidated) values by argument name. */
export function parseArguments(definition: CommandDefinition, text: string): Record<string, string> {
  return definition.freeText ? parseFreeText(definition, text) : parseWords(definition, text);
}

function setOnce(values: Record<string, string>, option: { name: string; value: string }): void {
  if (values[option.name] !== undefined) throw new UserError("errors.args.repeated", { arg: option.name });
  values[option.name] = option.value;
}

/** Commands without free text: every word is a positional or an option, nothing is left over. */
function parseWords(definition: CommandDefinition, text: string): Record<string, string> {
  const args = definition.args;
  const positionals = Object.entries(args).filter(([, spec]) => spec.positional) as [string, ArgSpec][];
  const values: Record<string, string> = {};
  const words: Token[] = [];
  for (const token of tokenize(text)) {
    const option = token.quoted ? undefined : optionOf(token, args);
    if (option) {
      setOnce(values, option);
      continue;
    }
    // A name=value that matches no option is a typo, not part of a name: say so.
    if (!token.quoted && OPTION.test(token.value)) {
      throw new UserError("errors.args.unknownOption", { option: token.value.split("=")[0] });
    }
    words.push(token);
  }
  for (const [name, spec] of positionals) {
    if (spec.rest) {
      if (words.length > 0) values[name] = words.map((word) => word.value).join(" ");
      words.length = 0;
      continue;
    }
    const word = words.shift();
    if (word !== undefined) values[name] = word.value;
  }
  if (words.length > 0) {
    throw new UserError("errors.args.tooMany", { extra: words.map((word) => word.value).join(" ") });
  }
  return values;
}

/**
 * Commands with free text: the positionals before it ("/assignment set 2 <text>") take the first
 * words, the declared non-positional options are taken out wherever they stand, and the rest is
 * the text, with the user's own spacing, quotes and line breaks.
 */
function parseFreeText(definition: CommandDefinition, text: string): Record<string, string> {
  const options = Object.fromEntries(Object.entries(definition.args).filter(([, spec]) => !spec.positional));
  const positionals = Object.entries(definition.args).filter(([, spec]) => spec.positional);
  const leading = positionals.filter(([, spec]) => !spec.rest).map(([name]) => name);
  const restName = positionals.find(([, spec]) => spec.rest)?.[0];
  const values: Record<string, string> = {};
  /** Spans of the text to replace: options go (""), quoted options lose their quotes. */
  const edits: { start: number; end: number; value: string }[] = [];
  let textStart: number | undefined;

  for (const token of tokenize(text)) {
    const option = optionOf(token, options);
    if (option && !token.quoted) {
      setOnce(values, option);
      edits.push({ ...removalSpan(text, token), value: "" });
      continue;
    }
    if (textStart === undefined && leading.length > 0) {
      values[leading.shift()!] = token.value;
      continue;
    }
    textStart ??= token.start;
    if (option) edits.push({ start: token.start, end: token.end, value: token.value });
  }

  if (restName !== undefined && textStart !== undefined) {
    let rest = "";
    let cursor = textStart;
    for (const edit of edits.filter((candidate) => candidate.end > textStart!)) {
      const start = Math.max(edit.start, textStart);
      rest += text.slice(cursor, start) + edit.value;
      cursor = Math.max(cursor, edit.end);
    }
    rest = (rest + text.slice(cursor)).trim();
    if (rest !== "") values[restName] = rest;
  }
  return values;
}

/**
 * The characters to drop with an option taken out of free text: the spaces before it, and when it
 * stands at the start of a line, the spaces after it and a line it leaves empty.
 */
function removalSpan(text: string, token: Token): { start: number; end: number } {
  let start = token.start;
  while (start > 0 && (text[start - 1] === " " || text[start - 1] === "\t")) start--;
  let end = token.end;
  if (start === 0 || text[start - 1] === "\n") {
    while (end < text.length && (text[end] === " " || text[end] === "\t")) end++;
    if (text[end] === "\r") end++;
    if (text[end] === "\n") end++;
  }
  return { start, end };
}
