import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";

/** Makes this channel a facilitators' channel, where homework is listed, reviewed and exported. */
export default defineCommand({
  name: "bind",
  role: "facilitator",
  args: { purpose: positional(arg.choice(["facilitators"], { required: true })) },
  async run(context) {
    const outcome = await context.services.facilitation.bindFacilitatorChannel(context.caller, context.incoming.platform, context.incoming.channelId);
    return context.t(outcome === "bound" ? "bind.done" : "bind.already");
  },
});
