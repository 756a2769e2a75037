// Whose participation a caller sees, decided like homework (src/homework/access.ts): in a group's
// channel (or a private chat), their own group, which its facilitators and coordinators may read
// too; in a facilitators' channel, a facilitator's groups, or all of them for a coordinator.
import type { CommandContext } from "../core/context.ts";
import { UserError } from "../core/errors.ts";
import type { Group } from "../generated/prisma/client.ts";
import { homeworkGroup, visibleGroups } from "../homework/access.ts";

export async function participationGroups(context: CommandContext, command: string): Promise<Group[]> {
  if (context.channel?.purpose === "facilitators") {
    if (context.role === "participant") throw new UserError("errors.forbidden", { command, role: context.t("roles.facilitator") });
    const groups = await visibleGroups(context);
    if (groups.length === 0) throw new UserError("participation.noGroups");
    return groups;
  }
  return [await homeworkGroup(context, "read", command)];
}
