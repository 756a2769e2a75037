import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import type { CommandContext } from "../src/core/context.ts";
import { requireProgram } from "../src/core/context.ts";

/** "<user> <group name>": the facilitator first, the rest of the words are the group's name. */
export const facilitationArgs = {
  user: positional(arg.text({ required: true, max: 200 })),
  group: positional(arg.text({ required: true, max: 80 }), { rest: true }),
};

/** The person and the active program's group a /facilitate or /unfacilitate names. */
export async function facilitatorAndGroup(context: CommandContext, args: { user: string; group: string }) {
  const { services } = context;
  const facilitator = await services.members.findByReference(args.user, context.incoming.platform);
  const group = await services.facilitation.findGroup(requireProgram(context), args.group);
  return { facilitator, group };
}

/** Coordinators make a facilitator look after a group's homework. Audited. */
export default defineCommand({
  name: "facilitate",
  role: "coordinator",
  args: facilitationArgs,
  async run(context, args) {
    const { facilitator, group } = await facilitatorAndGroup(context, args);
    const role = context.services.members.effectiveRole(facilitator);
    const outcome = await context.services.facilitation.link(context.caller, facilitator, role, group);
    return context.t(outcome === "linked" ? "facilitate.done" : "facilitate.already", { name: facilitator.displayName, group: group.name });
  },
});
