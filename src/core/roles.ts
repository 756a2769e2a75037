// Who may run what. One function decides it, for the pipeline and for /help alike.
import type { Group, Member } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";

/**
 * What a command needs from its caller:
 * - anyone: no requirement (help, whoami, register, join);
 * - member: belongs to the group bound to this channel;
 * - lead: the lead of this channel's group (or a coordinator);
 * - facilitator: a facilitator (or a coordinator);
 * - coordinator: a coordinator.
 */
export type RoleRequirement = "anyone" | "member" | "lead" | "facilitator" | "coordinator";

export interface CallerStanding {
  role: Role;
  /** The caller belongs to the group this channel is bound to. */
  inChannelGroup: boolean;
  /** The caller leads the group this channel is bound to. */
  leadsChannelGroup: boolean;
}

/** The caller's standing in the channel a command came from, computed once per command. */
export function standingOf(caller: Pick<Member, "groupId" | "isLead">, role: Role, channelGroup: Pick<Group, "id"> | null): CallerStanding {
  const inChannelGroup = channelGroup !== null && caller.groupId === channelGroup.id;
  return { role, inChannelGroup, leadsChannelGroup: inChannelGroup && caller.isLead };
}

export function isAllowed(requirement: RoleRequirement, caller: CallerStanding): boolean {
  if (caller.role === "coordinator") return true;
  switch (requirement) {
    case "anyone":
      return true;
    case "member":
      return caller.inChannelGroup;
    case "lead":
      return caller.leadsChannelGroup;
    case "facilitator":
      return caller.role === "facilitator";
    case "coordinator":
      return false;
  }
}
