// Everything a command handler may use: who is calling from where, in which language and zone,
// and the services. Built by the pipeline for each command.
import type { Clock } from "../clock.ts";
import type { Channel, Group, Member, Program } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import type { I18n, Locale, Translate } from "../i18n/i18n.ts";
import type { Logger } from "../logger.ts";
import type { Services } from "../services/index.ts";
import type { CommandEntry } from "./command.ts";
import { UserError } from "./errors.ts";
import type { IncomingCommand } from "./incoming.ts";
import type { CallerStanding } from "./roles.ts";

export interface CommandContext {
  readonly incoming: IncomingCommand;
  readonly caller: Member;
  /** The caller's effective role (configured coordinators included). */
  readonly role: Role;
  /** What the caller is to this channel's group; the pipeline and /help authorize with it. */
  readonly standing: CallerStanding;
  /** The binding of the channel the command came from, if any. */
  readonly channel: Channel | null;
  /** The group bound to this channel, if any. */
  readonly group: Group | null;
  readonly program: Program | null;
  /** The reply language, chosen by readerFor (src/core/reader.ts). */
  readonly locale: Locale;
  /** The zone times are shown in: the channel's group's (in a private chat the caller's own group's), else the program's. */
  readonly timezone: string;
  readonly t: Translate;
  /** For text in another language than the caller's (a group's, a recipient's). */
  readonly i18n: I18n;
  readonly services: Services;
  readonly clock: Clock;
  readonly logger: Logger;
  /** All declared commands (for /help). */
  readonly commands: readonly CommandEntry[];
}

export function requireProgram(context: CommandContext): Program {
  if (!context.program) throw new UserError("errors.noProgram");
  return context.program;
}

/** The channel's group, or a clear error when the command needs one. */
export function requireGroup(context: CommandContext): Group {
  if (!context.group) throw new UserError("errors.notGroupChannel");
  return context.group;
}
