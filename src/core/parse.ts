// Typed text to argument values: "/register Tenants of Kreuzberg country=DE tz=Berlin".
// Words fill positional arguments in order, name=value (or alias=value) fills named ones,
// quotes group words. Validation is not done here but by each argument's zod schema.
import type { ArgSpec, ArgSpecs } from "./args.ts";
import type { CommandDefinition } from "./command.ts";
import { UserError } from "./errors.ts";

interface Token {
  value: string;
  start: number;
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
    tokens.push({ value, start, quoted: QUOTES[text[start]!] !== undefined && value !== text.slice(start, index) });
  }
  return tokens;
}

function findArg(args: ArgSpecs, key: string): string | undefined {
  const lower = key.toLowerCase();
  return Object.entries(args).find(([name, spec]) => name.toLowerCase() === lower || spec.aliases.includes(lower))?.[0];
}

const OPTION = /^([A-Za-z][\w-]*)=(.*)$/s;

function asOption(token: Token, args: ArgSpecs): { name: string; value: string } | undefined {
  if (token.quoted) return undefined;
  const match = OPTION.exec(token.value);
  if (!match) return undefined;
  const name = findArg(args, match[1]!);
  return name ? { name, value: match[2]! } : undefined;
}

/** Raw (unvalidated) values by argument name. */
export function parseArguments(definition: CommandDefinition, text: string): Record<string, string> {
  const args = definition.args;
  const positionals = Object.entries(args).filter(([, spec]) => spec.positional) as [string, ArgSpec][];
  const values: Record<string, string> = {};
  const tokens = tokenize(text);
  const words: Token[] = [];
  // With free text, the positionals before it ("/assignment set 2 lang=es <text>") take words in
  // order, options may sit among them, and the first word after them starts the free text.
  const leading = definition.freeText ? positionals.filter(([, spec]) => !spec.rest) : [];

  let position = 0;
  for (; position < tokens.length; position++) {
    const token = tokens[position]!;
    const option = asOption(token, args);
    if (option) {
      if (values[option.name] !== undefined) throw new UserError("errors.args.repeated", { arg: option.name });
      values[option.name] = option.value;
      continue;
    }
    if (definition.freeText) {
      const next = leading.shift();
      if (!next) break;
      values[next[0]] = token.value;
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
      if (definition.freeText) {
        // Free text keeps the user's own spacing, quotes and line breaks.
        const restStart = tokens[position]?.start;
        if (restStart !== undefined) values[name] = text.slice(restStart).trim();
      } else if (words.length > 0) {
        values[name] = words.map((word) => word.value).join(" ");
        words.length = 0;
      }
      continue;
    }
    if (definition.freeText) continue; // filled above
    const word = words.shift();
    if (word !== undefined) values[name] = word.value;
  }
  if (!definition.freeText && words.length > 0) {
    throw new UserError("errors.args.tooMany", { extra: words.map((word) => word.value).join(" ") });
  }
  return values;
}
