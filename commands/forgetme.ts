import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { FORGET_CONFIRM_MS } from "../src/privacy/privacy-service.ts";
import { submissionLines } from "../src/privacy/replies.ts";

/** Deletes everything the bot holds about the caller: /forgetme says what, /forgetme confirm does it. */
export default defineCommand({
  name: "forgetme",
  role: "anyone",
  privateReply: true,
  args: { confirm: positional(arg.choice(["confirm"])) },
  async run(context, args) {
    const { t, services, caller } = context;
    const minutes = FORGET_CONFIRM_MS / 60_000;
    if (args.confirm !== "confirm") {
      const counts = await services.privacy.preview(caller);
      await services.privacy.requestForget(caller);
      return [t("privacy.deletes"), ...submissionLines(t, counts), t("privacy.cannotUndo"), t("forgetme.confirmHint", { minutes })].join("\n");
    }
    const outcome = await services.privacy.confirmForget(caller);
    return [t("forgetme.done"), ...(outcome.leftLeadVacant ? [t("leave.leadVacant")] : [])].join("\n");
  },
});
