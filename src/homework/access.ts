// Where homework commands may run and for which group, decided in one place:
// - a member works with their own group's homework, in its channel or in any channel not bound
//   to another group (a private chat with the bot, for instance);
// - in a group's channel, its facilitators and coordinators may read its homework too;
// - lists, reviews and exports only happen in a facilitators' channel.
// It takes what it needs (who asks, from which channel), not the command context: homework is a
// domain module and knows nothing of the command pipeline.
import { UserError } from "../core/errors.ts";
import type { Channel, Group, Member, Program } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import type { RegistrationService } from "../services/registration.ts";
import type { FacilitationService } from "./facilitation.ts";

/** Who asks, from where, and the services that answer. The command context fits it as it is. */
export interface HomeworkRequest {
  caller: Member;
  role: Role;
  /** The group bound to the channel the request came from, if any. */
  group: Group | null;
  channel: Pick<Channel, "purpose"> | null;
  program: Program | null;
  services: { facilitation: FacilitationService; registration: RegistrationService };
}

function requireProgram(request: HomeworkRequest): Program {
  if (!request.program) throw new UserError("errors.noProgram");
  return request.program;
}

export async function homeworkGroup(request: HomeworkRequest, intent: "read" | "submit", command: string): Promise<Group> {
  const program = requireProgram(request);
  const { caller, group, services } = request;
  if (group) {
    if (caller.groupId === group.id) return group;
    const mayRead = intent === "read" && (request.role === "coordinator" || (await services.facilitation.facilitates(caller, group.id)));
    if (mayRead) return group;
    throw new UserError("errors.notMember", { command });
  }
  const own = await services.registration.ownGroup(caller, program);
  if (!own) throw new UserError("homework.noGroup");
  return own;
}

export function requireFacilitatorChannel(request: Pick<HomeworkRequest, "channel">, command: string): void {
  if (request.channel?.purpose !== "facilitators") throw new UserError("homework.facilitatorChannelOnly", { command });
}

/** The groups whose homework the caller may list, review and export. */
export async function visibleGroups(request: HomeworkRequest): Promise<Group[]> {
  return request.services.facilitation.visibleGroups(requireProgram(request), request.caller, request.role);
}
