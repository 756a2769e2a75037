import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";

/** Coordinators make a facilitator look after a group's homework. Audited. */
export default defineCommand({
  name: "facilitate",
  role: "coordinator",
  args: {
    user: positional(arg.text({ required: true, max: 200 })),
    group: positional(arg.text({ required: true, max: 80 }), { rest: true }),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const { services } = context;
    const facilitator = await services.members.findByReference(args.user, context.incoming.platform);
    const group = await services.facilitation.findGroup(program, args.group);
    const role = services.members.isConfiguredCoordinator(facilitator) ? "coordinator" : facilitator.role;
    const outcome = await services.facilitation.link(context.caller, facilitator, role, group);
    return context.t(outcome === "linked" ? "facilitate.done" : "facilitate.already", { name: facilitator.displayName, group: group.name });
  },
});
