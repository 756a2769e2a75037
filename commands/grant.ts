import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";

/** Gives someone the facilitator or coordinator role. Audited. */
export default defineCommand({
  name: "grant",
  role: "coordinator",
  args: {
    user: positional(arg.text({ required: true, max: 200 })),
    role: positional(arg.choice(["facilitator", "coordinator"], { required: true })),
  },
  async run(context, args) {
    const target = await context.services.members.findByReference(args.user, context.incoming.platform);
    const updated = await context.services.roles.grant(context.caller, target, args.role);
    return context.t("grant.done", { name: updated.displayName, role: context.t(`roles.${args.role}`) });
  },
});
