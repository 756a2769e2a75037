import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { message } from "../src/core/messages.ts";
import { jsonFile } from "../src/privacy/replies.ts";

/** A coordinator gets a person's data (for a request made to the organizers), privately; audited. */
export default defineCommand({
  name: "datafor",
  role: "coordinator",
  privateReply: true,
  slow: true,
  args: { user: positional(arg.text({ required: true, max: 200 })) },
  async run(context, args) {
    const target = await context.services.members.findByReference(args.user, context.incoming.platform);
    const file = await context.services.privacy.personalDataFor(context.caller, target);
    return message().text(context.t("datafor.done", { name: target.displayName })).attach(jsonFile(file)).build();
  },
});
