import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";

/** Takes someone's facilitator or coordinator role away. Audited. */
export default defineCommand({
  name: "revoke",
  role: "coordinator",
  args: { user: positional(arg.text({ required: true, max: 200 })) },
  async run(context, args) {
    const target = await context.services.members.findByReference(args.user, context.incoming.platform);
    const updated = await context.services.roles.revoke(context.caller, target);
    return context.t("revoke.done", { name: updated.displayName, role: context.t(`roles.${target.role}`) });
  },
});
