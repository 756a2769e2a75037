import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";

/**
 * A coordinator picks a group's lead: "/lead <person> <group name>", or "/lead <person>" in the
 * group's channel. The group is told. Audited.
 */
export default defineCommand({
  name: "lead",
  role: "coordinator",
  args: {
    user: positional(arg.text({ required: true, max: 200 })),
    group: positional(arg.text({ max: 80 }), { rest: true }),
  },
  async run(context, args) {
    const { services, t } = context;
    const program = requireProgram(context);
    const group = args.group ? await services.facilitation.findGroup(program, args.group) : context.group;
    if (!group) throw new UserError("lead.whichGroup");
    const member = await services.members.findByReference(args.user, context.incoming.platform);
    const outcome = await services.leads.appoint(context.caller, group, member);
    return t(outcome === "appointed" ? "lead.done" : "lead.already", { name: member.displayName, group: group.name });
  },
});
