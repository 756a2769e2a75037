import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";

/** Coordinators take a group away from a facilitator (undoes /facilitate). Audited. */
export default defineCommand({
  name: "unfacilitate",
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
    await services.facilitation.unlink(context.caller, facilitator, group);
    return context.t("unfacilitate.done", { name: facilitator.displayName, group: group.name });
  },
});
