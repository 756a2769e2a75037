// Slash commands and autocomplete requests as the core's IncomingCommand. What we read off an
// interaction is checked with zod first: it comes from outside, through discord.js.
import {
  ApplicationCommandOptionType,
  GuildMember,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
} from "discord.js";
import { z } from "zod";
import type { AutocompleteSource } from "../../src/core/args.ts";
import { flattenCommands, type CommandDefinition, type CommandEntry } from "../../src/core/command.ts";
import type { Attachment, IncomingCommand } from "../../src/core/incoming.ts";
import { argumentFor, DISCORD_NAME } from "./command-menu.ts";

export const PLATFORM = "discord";

const snowflake = z.string().regex(/^\d{1,25}$/);
const discordName = z.string().regex(DISCORD_NAME);

const optionSchema = z.object({
  name: discordName,
  type: z.enum(ApplicationCommandOptionType),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  get options() {
    return z.array(optionSchema).max(25).optional();
  },
  attachment: z
    .object({
      url: z.url({ protocol: /^https?$/ }),
      name: z.string().min(1).max(255),
      contentType: z.string().max(255).nullish(),
      size: z.number().int().nonnegative(),
    })
    .optional(),
});
type Option = z.infer<typeof optionSchema>;

/** Who acted, and where: what every interaction we handle carries. */
export const callerFactsSchema = z.object({
  channelId: snowflake,
  guildId: snowflake.nullable(),
  userId: snowflake,
  username: z.string().min(1).max(200),
  displayName: z.string().max(200),
  locale: z.string().max(35).optional(),
});
type CallerFacts = z.infer<typeof callerFactsSchema>;

/** The caller's facts off an interaction, to be checked with `callerFactsSchema` (or an extension of it). */
export function callerFactsOf(interaction: ChatInputCommandInteraction | ButtonInteraction): Record<keyof CallerFacts, unknown> {
  return {
    channelId: interaction.channelId,
    guildId: interaction.guildId,
    userId: interaction.user.id,
    username: interaction.user.username,
    displayName: displayName(interaction),
    locale: interaction.locale,
  };
}

/** The part of the core's command that says who acted where. */
export function callerCommand(facts: CallerFacts): Pick<IncomingCommand, "platform" | "channelId" | "isPrivateChat" | "userId" | "displayName" | "username" | "userLocale"> {
  return {
    platform: PLATFORM,
    channelId: facts.channelId,
    isPrivateChat: facts.guildId === null,
    userId: facts.userId,
    displayName: facts.displayName,
    username: facts.username,
    ...(facts.locale ? { userLocale: facts.locale } : {}),
  };
}

const commandFactsSchema = callerFactsSchema.extend({
  commandName: discordName,
  options: z.array(optionSchema).max(25),
});

function plainOption(option: CommandInteractionOption): unknown {
  return {
    name: option.name,
    type: option.type,
    value: option.value ?? undefined,
    options: option.options?.map(plainOption),
    attachment: option.attachment
      ? { url: option.attachment.url, name: option.attachment.name, contentType: option.attachment.contentType, size: option.attachment.size }
      : undefined,
  };
}

/** A member's server nickname, else their display name, else their user name. */
function displayName(interaction: ChatInputCommandInteraction | ButtonInteraction): string {
  const member = interaction.member;
  if (member instanceof GuildMember) return member.displayName;
  return member?.nick ?? interaction.user.globalName ?? interaction.user.username;
}

/** The command an interaction invokes, or why it can't be read. */
export function readCommand(
  interaction: ChatInputCommandInteraction,
  commands: readonly CommandEntry[],
): { command: IncomingCommand; definition: CommandDefinition | undefined } | { invalid: z.ZodError } {
  const parsed = commandFactsSchema.safeParse({
    ...callerFactsOf(interaction),
    commandName: interaction.commandName,
    options: interaction.options.data.map(plainOption),
  });
  if (!parsed.success) return { invalid: parsed.error };
  const facts = parsed.data;
  const { subcommand, leaves } = splitSubcommand(facts.options);
  const definition = findDefinition(commands, facts.commandName, subcommand);
  const options: Record<string, string | number | boolean> = {};
  const attachments: Attachment[] = [];
  for (const option of leaves) {
    if (option.attachment) {
      const { url, name, contentType, size } = option.attachment;
      attachments.push({ url, fileName: name, size, ...(contentType ? { contentType } : {}) });
    } else if (option.value !== undefined) {
      const argument = (definition && argumentFor(definition, option.name)) ?? option.name;
      options[argument] = typeof option.value === "string" ? mentionedUser(option.value) : option.value;
    }
  }
  return {
    definition,
    command: {
      ...callerCommand(facts),
      name: facts.commandName,
      ...(subcommand ? { subcommand } : {}),
      options,
      ...(attachments.length > 0 ? { attachments } : {}),
    },
  };
}

const autocompleteFactsSchema = z.object({
  commandName: discordName,
  subcommand: discordName.nullable(),
  focused: z.object({ name: discordName, value: z.string().max(6000) }),
});

/** What is being typed into an autocomplete option, and where its suggestions come from. */
export function readAutocomplete(
  interaction: AutocompleteInteraction,
  commands: readonly CommandEntry[],
): { source: AutocompleteSource; query: string; integer: boolean } | undefined {
  const focused = interaction.options.getFocused(true);
  const parsed = autocompleteFactsSchema.safeParse({
    commandName: interaction.commandName,
    subcommand: interaction.options.getSubcommand(false),
    focused: { name: focused.name, value: String(focused.value) },
  });
  if (!parsed.success) return undefined;
  const { commandName, subcommand, focused: typed } = parsed.data;
  const definition = findDefinition(commands, commandName, subcommand ?? undefined);
  const argument = definition && argumentFor(definition, typed.name);
  const spec = argument ? definition.args[argument] : undefined;
  if (!spec?.autocomplete) return undefined;
  return { source: spec.autocomplete, query: typed.value, integer: spec.type === "integer" };
}

export function findDefinition(commands: readonly CommandEntry[], name: string, subcommand?: string): CommandDefinition | undefined {
  const path = subcommand ? [name, subcommand] : [name];
  return flattenCommands(commands).find((entry) => entry.path.join(" ") === path.join(" "))?.definition;
}

function splitSubcommand(options: Option[]): { subcommand?: string; leaves: Option[] } {
  const first = options[0];
  if (first?.type === ApplicationCommandOptionType.Subcommand) return { subcommand: first.name, leaves: first.options ?? [] };
  return { leaves: options };
}

/** Picking a person in a text option gives `<@id>`; the core knows people by their id. */
function mentionedUser(value: string): string {
  return /^<@!?(\d{1,25})>$/.exec(value.trim())?.[1] ?? value;
}
