import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { platformUserReference } from "../src/services/members.ts";

/**
 * Gives someone the facilitator or coordinator role. Audited. People the bot has not met yet are
 * granted in advance by platform id (telegram:123), so 130 facilitators need not write first.
 */
export default defineCommand({
  name: "grant",
  role: "coordinator",
  args: {
    user: positional(arg.text({ required: true, max: 200 })),
    role: positional(arg.choice(["facilitator", "coordinator"], { required: true })),
  },
  async run(context, args) {
    const { services, t } = context;
    const role = t(`roles.${args.role}`);
    const byId = platformUserReference(args.user);
    if (byId && !(await services.members.findById(byId))) {
      await services.roles.grantInAdvance(context.caller, byId, args.role);
      return t("grant.inAdvance", { reference: `${byId.platform}:${byId.userId}`, role });
    }
    const target = await services.members.findByReference(args.user, context.incoming.platform);
    const updated = await services.roles.grant(context.caller, target, args.role);
    return t("grant.done", { name: updated.displayName, role });
  },
});
