// Whose participation a caller sees, decided like homework (src/homework/access.ts): in a group's
// channel (or a private chat), their own group, which its facilitators and coordinators may read
// too; in a facilitators' channel, a facilitator's groups, or all of them for a coordinator.
import { UserError } from "../core/errors.ts";
import type { Group } from "../generated/prisma/client.ts";
import { homeworkGroup, visibleGroups, type HomeworkRequest } from "../homework/access.ts";
import type { Translate } from "../i18n/i18n.ts";

export async function participationGroups(request: HomeworkRequest & { t: Translate }, command: string): Promise<Group[]> {
  if (request.channel?.purpose === "facilitators") {
    if (request.role === "participant") throw new UserError("errors.forbidden", { command, role: request.t("roles.facilitator") });
    const groups = await visibleGroups(request);
    if (groups.length === 0) throw new UserError("participation.noGroups");
    return groups;
  }
  // A facilitator or coordinator outside any group's channel, with no group of their own, is
  // looking for their groups' figures: those are read in a facilitators' channel.
  if (!request.group && request.role !== "participant" && request.program && !(await request.services.registration.ownGroup(request.caller, request.program))) {
    throw new UserError("participation.facilitatorsChannel", { command });
  }
  return [await homeworkGroup(request, "read", command)];
}
