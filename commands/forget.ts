import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { submissionLines } from "../src/privacy/replies.ts";

/** A coordinator deletes a person's data at their request: shows what goes, then confirm=yes does it. Audited without the person. */
export default defineCommand({
  name: "forget",
  role: "coordinator",
  privateReply: true,
  args: {
    user: positional(arg.text({ required: true, max: 200 })),
    confirm: arg.choice(["yes"]),
  },
  async run(context, args) {
    const { t, services } = context;
    const target = await services.members.findByReference(args.user, context.incoming.platform);
    const name = target.displayName;
    if (args.confirm !== "yes") {
      const counts = await services.privacy.preview(target);
      return [t("privacy.deletesFor", { name }), ...submissionLines(t, counts), t("privacy.cannotUndo"), t("forget.confirmHint", { user: args.user })].join("\n");
    }
    const outcome = await services.privacy.forget(target, context.caller);
    return [t("forget.done", { name }), ...(outcome.leftLeadVacant ? [t("leave.leadVacant")] : [])].join("\n");
  },
});
