// A command is declared once, in commands/<name>.ts: its name, arguments, the role it needs and
// its handler. Help, usage, parsing and every platform's command menu derive from it.
import type { ArgSpecs, ArgValues } from "./args.ts";
import type { CommandContext } from "./context.ts";
import type { OutgoingMessage } from "./messages.ts";
import type { RoleRequirement } from "./roles.ts";

export type Reply = string | OutgoingMessage | OutgoingMessage[];

export interface CommandDefinition<S extends ArgSpecs = ArgSpecs> {
  /** English, lower case; the typed and slash-command name. */
  readonly name: string;
  readonly role: RoleRequirement;
  readonly args: S;
  /**
   * The last positional is free text (announcements, homework): its declared options are read
   * wherever they stand and taken out of it; any other "=" (links, formulas) stays text.
   */
  readonly freeText?: boolean;
  /** Replies go to the caller only (ephemeral where the platform can). */
  readonly privateReply?: boolean;
  /** Long-running: platforms with a short reply window (Discord's 3 s) acknowledge first. */
  readonly slow?: boolean;
  /**
   * Only makes sense in a group's channel (it binds the channel or acts on its group), so the
   * pipeline refuses it in a private chat with the bot. Defaults to true for the member and
   * lead roles, which are defined by the channel's group.
   */
  readonly groupChatOnly?: boolean;
  /**
   * Takes files (homework). They arrive in `context.incoming.attachments`; platforms whose menus
   * have typed options (Discord) offer an upload field for it.
   */
  readonly acceptsAttachments?: boolean;
  run(context: CommandContext, args: ArgValues<S>): Promise<Reply>;
}

/** Several subcommands under one name: "/homework submit ...", "/session move ...". */
export interface CommandGroup {
  readonly name: string;
  readonly subcommands: readonly CommandDefinition[];
  /** Used when the text does not start with a subcommand's name ("/homework" alone shows it). */
  readonly defaultSubcommand?: string;
}

export type CommandEntry = CommandDefinition | CommandGroup;

export function defineCommand<S extends ArgSpecs>(definition: CommandDefinition<S>): CommandDefinition {
  return definition as unknown as CommandDefinition;
}

export function defineGroup(group: CommandGroup): CommandGroup {
  return group;
}

export function isGroup(entry: CommandEntry): entry is CommandGroup {
  return "subcommands" in entry;
}

/** Whether the command can do anything in a private chat with the bot (platform menus use it too). */
export function worksInPrivateChat(definition: CommandDefinition): boolean {
  return !(definition.groupChatOnly ?? (definition.role === "member" || definition.role === "lead"));
}

/** The i18n key prefix of a command or subcommand: commands.<name>[.<sub>]. */
export function commandKey(name: string, subcommand?: string): string {
  return subcommand ? `commands.${name}.${subcommand}` : `commands.${name}`;
}

/** Every runnable definition with the path that reaches it. */
export function flattenCommands(entries: readonly CommandEntry[]): { path: string[]; definition: CommandDefinition }[] {
  return entries.flatMap((entry) =>
    isGroup(entry)
      ? entry.subcommands.map((definition) => ({ path: [entry.name, definition.name], definition }))
      : [{ path: [entry.name], definition: entry }],
  );
}
