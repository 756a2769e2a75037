import { defineCommand } from "../src/core/command.ts";

/** Undoes /bind facilitators in this channel. */
export default defineCommand({
  name: "unbind",
  role: "facilitator",
  args: {},
  async run(context) {
    await context.services.facilitation.unbindFacilitatorChannel(context.caller, context.incoming.platform, context.incoming.channelId);
    return context.t("unbind.done");
  },
});
