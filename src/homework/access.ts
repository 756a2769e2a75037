// Where homework commands may run and for which group, decided in one place:
// - a member works with their own group's homework, in its channel or in any channel not bound
//   to another group (a private chat with the bot, for instance);
// - in a group's channel, its facilitators and coordinators may read its homework too;
// - lists, reviews and exports only happen in a facilitators' channel.
import type { CommandContext } from "../core/context.ts";
import { requireProgram } from "../core/context.ts";
import { UserError } from "../core/errors.ts";
import type { Group } from "../generated/prisma/client.ts";

export async function homeworkGroup(context: CommandContext, intent: "read" | "submit", command: string): Promise<Group> {
  const program = requireProgram(context);
  const { caller, group, services } = context;
  if (group) {
    if (caller.groupId === group.id) return group;
    const mayRead = intent === "read" && (context.role === "coordinator" || (await services.facilitation.facilitates(caller, group.id)));
    if (mayRead) return group;
    throw new UserError("errors.notMember", { command });
  }
  const own = caller.groupId === null ? null : await services.registration.group(caller.groupId);
  if (!own || own.programId !== program.id) throw new UserError("homework.noGroup");
  return own;
}

export function requireFacilitatorChannel(context: CommandContext, command: string): void {
  if (context.channel?.purpose !== "facilitators") throw new UserError("homework.facilitatorChannelOnly", { command });
}

/** The groups whose homework the caller may list, review and export. */
export async function visibleGroups(context: CommandContext): Promise<Group[]> {
  return context.services.facilitation.visibleGroups(requireProgram(context), context.caller, context.role);
}
