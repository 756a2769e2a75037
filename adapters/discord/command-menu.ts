// The slash-command menu, derived from the command declarations: one Discord command per declared
// command or group (a group's subcommands, its default one included, become Discord subcommands),
// typed options from the argument specs (strings, integers, choices, autocomplete, limits), and
// names and descriptions in every language we ship, in Discord's locale codes.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type LocalizationMap,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { ArgSpec } from "../../src/core/args.ts";
import { commandKey, isGroup, type CommandDefinition, type CommandEntry } from "../../src/core/command.ts";
import { SUPPORTED_LOCALES, type I18n, type Locale } from "../../src/i18n/i18n.ts";

export type SlashCommand = RESTPostAPIChatInputApplicationCommandsJSONBody;

/**
 * Our languages as Discord locales. English is the commands' own language; Spanish is offered to
 * Spain and Latin America alike.
 */
export const DISCORD_LOCALES: Record<Locale, readonly string[]> = {
  en: [],
  es: ["es-ES", "es-419"],
  pt: ["pt-BR"],
  fr: ["fr"],
  de: ["de"],
  it: ["it"],
  ko: ["ko"],
};

/** Discord's rule for slash command and option names (lower case where a letter has one). */
export const DISCORD_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const DESCRIPTION_LIMIT = 100;
const MAX_CHOICES = 25;

/** The upload field of commands that accept attachments. */
export const ATTACHMENT_OPTION = "file";

/** A declared argument's option name: Discord wants lower case, so `dueDate` becomes `due_date`. */
export function optionName(argument: string): string {
  const name = argument.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  if (!DISCORD_NAME.test(name)) throw new Error(`argument "${argument}" has no valid Discord option name`);
  return name;
}

/** The declared argument a Discord option stands for. */
export function argumentFor(definition: CommandDefinition, option: string): string | undefined {
  return Object.keys(definition.args).find((argument) => optionName(argument) === option);
}

/**
 * A translated name made fit for Discord: lower case, spaces as hyphens, only allowed characters,
 * at most 32 of them; undefined when nothing usable is left.
 */
export function safeName(translation: string, locale: string): string | undefined {
  const cleaned = translation
    .trim()
    .toLocaleLowerCase(locale)
    .replace(/\s+/g, "-")
    .replace(/[^-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]/gu, "");
  const name = Array.from(cleaned).slice(0, 32).join("");
  return DISCORD_NAME.test(name) ? name : undefined;
}

function truncate(text: string, limit: number): string {
  const characters = Array.from(text.trim());
  return characters.length <= limit ? characters.join("") : `${characters.slice(0, limit - 1).join("")}…`;
}

/** Builds the command list for one bulk overwrite. */
export function buildCommandMenu(entries: readonly CommandEntry[], i18n: I18n): SlashCommand[] {
  const menu = new Menu(i18n);
  return distinctLocalizedNames(entries.map((entry) => (isGroup(entry) ? menu.group(entry.name, entry.subcommands) : menu.command(entry))));
}

class Menu {
  constructor(private readonly i18n: I18n) {}

  command(definition: CommandDefinition): SlashCommand {
    return {
      type: ApplicationCommandType.ChatInput,
      ...this.names([definition.name], definition.name),
      ...this.descriptions(`${commandKey(definition.name)}.description`, definition.name),
      options: this.options([definition.name], definition),
    };
  }

  group(name: string, subcommands: readonly CommandDefinition[]): SlashCommand {
    const options: APIApplicationCommandSubcommandOption[] = subcommands.map((definition) => ({
      type: ApplicationCommandOptionType.Subcommand,
      ...this.names([name, definition.name], definition.name),
      ...this.descriptions(`${commandKey(name, definition.name)}.description`, definition.name),
      options: this.options([name, definition.name], definition),
    }));
    // Discord shows a group's own description only in a few places; without one of its own, the
    // subcommands' descriptions say what it is for.
    const own = `${commandKey(name)}.description`;
    const description = this.i18n.has(own)
      ? this.descriptions(own, name)
      : this.localizedDescription((locale) => subcommands.map((sub) => this.i18n.t(locale, `${commandKey(name, sub.name)}.description`)).join(" · "));
    return { type: ApplicationCommandType.ChatInput, ...this.names([name], name), ...description, options: distinctLocalizedNames(options) };
  }

  private options(path: string[], definition: CommandDefinition): APIApplicationCommandBasicOption[] {
    const options = Object.entries(definition.args).map(([argument, spec]) => this.option(path, argument, spec));
    if (definition.acceptsAttachments) {
      options.push({
        type: ApplicationCommandOptionType.Attachment,
        name: ATTACHMENT_OPTION,
        ...this.localizedNames("discord.attachmentOption.name", ATTACHMENT_OPTION),
        ...this.descriptions("discord.attachmentOption.description", ATTACHMENT_OPTION),
        required: false,
      });
    }
    // Discord wants required options first; the order among each kind is the declaration's.
    return distinctLocalizedNames([...options.filter((option) => option.required), ...options.filter((option) => !option.required)]);
  }

  private option(path: string[], argument: string, spec: ArgSpec): APIApplicationCommandBasicOption {
    const name = optionName(argument);
    const common = {
      name,
      ...this.localizedNames(`discord.commandNames.${path.join(".")}.options.${argument}`, name),
      ...this.descriptions(`${commandKey(path[0]!, path[1])}.args.${argument}`, argument),
      required: spec.required,
    };
    const autocomplete = spec.autocomplete !== undefined;
    if (spec.type === "integer") {
      return {
        ...common,
        type: ApplicationCommandOptionType.Integer,
        ...(spec.min !== undefined ? { min_value: spec.min } : {}),
        ...(spec.max !== undefined ? { max_value: spec.max } : {}),
        ...(autocomplete ? { autocomplete: true } : {}),
      };
    }
    // Past Discord's 25 choices the value is typed freely and checked like typed text.
    const choices = spec.choices && spec.choices.length <= MAX_CHOICES ? spec.choices.map((choice) => ({ name: choice, value: choice })) : undefined;
    return {
      ...common,
      type: ApplicationCommandOptionType.String,
      ...(choices ? { choices } : autocomplete ? { autocomplete: true } : {}),
      ...(spec.min !== undefined && spec.min > 1 ? { min_length: spec.min } : {}),
      ...(spec.max !== undefined ? { max_length: Math.min(spec.max, 6000) } : {}),
    };
  }

  private names(path: string[], name: string): { name: string; name_localizations: LocalizationMap } {
    return { name, ...this.localizedNames(`discord.commandNames.${path.join(".")}.name`, name) };
  }

  /** Each locale's translated name where one exists and fits Discord's rules, else the English name. */
  private localizedNames(key: string, name: string): { name_localizations: LocalizationMap } {
    const has = this.i18n.has(key);
    const map: LocalizationMap = {};
    for (const locale of SUPPORTED_LOCALES) {
      for (const code of DISCORD_LOCALES[locale]) map[code as keyof LocalizationMap] = (has && safeName(this.i18n.t(locale, key), code)) || name;
    }
    return { name_localizations: map };
  }

  private descriptions(key: string, fallback: string): { description: string; description_localizations: LocalizationMap } {
    return this.i18n.has(key)
      ? this.localizedDescription((locale) => this.i18n.t(locale, key))
      : { description: fallback, description_localizations: {} };
  }

  private localizedDescription(text: (locale: Locale) => string): { description: string; description_localizations: LocalizationMap } {
    const map: LocalizationMap = {};
    for (const locale of SUPPORTED_LOCALES) {
      for (const code of DISCORD_LOCALES[locale]) map[code as keyof LocalizationMap] = truncate(text(locale), DESCRIPTION_LIMIT);
    }
    return { description: truncate(text("en"), DESCRIPTION_LIMIT), description_localizations: map };
  }
}

interface Named {
  name: string;
  name_localizations?: LocalizationMap | null;
}

/**
 * Names side by side must differ in every locale too. Where two translations coincide, that
 * locale shows the English names for the whole level, which always differ.
 */
function distinctLocalizedNames<T extends Named>(items: T[]): T[] {
  const codes = new Set(items.flatMap((item) => Object.keys(item.name_localizations ?? {})));
  for (const code of codes) {
    const names = items.map((item) => item.name_localizations?.[code as keyof LocalizationMap] ?? item.name);
    if (new Set(names).size === names.length) continue;
    for (const item of items) if (item.name_localizations) item.name_localizations[code as keyof LocalizationMap] = item.name;
  }
  return items;
}
