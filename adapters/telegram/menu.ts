// The command menu Telegram shows when someone types "/", derived from the command declarations
// and their i18n descriptions, in every language we ship (setMyCommands per language_code, with
// English for everyone else). Private chats get their own list without the commands that only
// work in a group's chat. Subcommands are typed as text after the command, so a group of
// subcommands is one entry whose description lists them.
import type { BotCommand, BotCommandScope } from "grammy/types";
import { commandKey, isGroup, worksInPrivateChat, type CommandEntry } from "../../src/core/command.ts";
import { FALLBACK_LOCALE, SUPPORTED_LOCALES, type I18n, type Locale } from "../../src/i18n/i18n.ts";

/** Bot API: a command is 1-32 of a-z, 0-9 and _; a description 1-256 characters; at most 100 commands. */
const NAME_LIMIT = 32;
const DESCRIPTION_LIMIT = 256;
const COMMANDS_LIMIT = 100;

function telegramCommandName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, NAME_LIMIT);
}

/** Telegram command name -> declared name, to read what people type. */
export function commandNames(entries: readonly CommandEntry[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const entry of entries) if (!names.has(telegramCommandName(entry.name))) names.set(telegramCommandName(entry.name), entry.name);
  return names;
}

export interface CommandMenu {
  scope: BotCommandScope;
  /** Undefined: everyone whose language has no list of its own. */
  languageCode?: Locale;
  commands: BotCommand[];
}

export function buildMenus(entries: readonly CommandEntry[], i18n: I18n): CommandMenu[] {
  return [undefined, ...SUPPORTED_LOCALES].flatMap((languageCode) => {
    const t = i18n.translator(languageCode ?? FALLBACK_LOCALE);
    const describe = (key: string) => (i18n.has(key) ? t(key) : undefined);
    return [
      { scope: { type: "default" }, languageCode, commands: menu(entries, describe, false) },
      { scope: { type: "all_private_chats" }, languageCode, commands: menu(entries, describe, true) },
    ];
  });
}

function menu(entries: readonly CommandEntry[], describe: (key: string) => string | undefined, privateChat: boolean): BotCommand[] {
  const seen = new Set<string>();
  const commands: BotCommand[] = [];
  for (const entry of entries) {
    const command = telegramCommandName(entry.name);
    const definitions = isGroup(entry) ? entry.subcommands : [entry];
    const usable = privateChat ? definitions.filter(worksInPrivateChat) : definitions;
    if (usable.length === 0 || seen.has(command)) continue;
    const own = describe(`${commandKey(entry.name)}.description`);
    const description = isGroup(entry)
      ? (own ?? usable.map((sub) => `${sub.name}: ${describe(`${commandKey(entry.name, sub.name)}.description`) ?? sub.name}`).join(" · "))
      : (own ?? entry.name);
    seen.add(command);
    commands.push({ command, description: truncate(description, DESCRIPTION_LIMIT) });
  }
  return commands.slice(0, COMMANDS_LIMIT);
}

function truncate(text: string, limit: number): string {
  const characters = Array.from(text);
  return characters.length <= limit ? text : `${characters.slice(0, limit - 1).join("")}…`;
}
