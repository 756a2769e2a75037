import { defineCommand } from "../src/core/command.ts";
import { message } from "../src/core/messages.ts";
import { jsonFile } from "../src/privacy/replies.ts";

/** Everything the bot holds about the caller, as a JSON file only they receive. */
export default defineCommand({
  name: "mydata",
  role: "anyone",
  privateReply: true,
  slow: true,
  args: {},
  async run(context) {
    const file = await context.services.privacy.personalData(context.caller);
    return message().text(context.t("mydata.done")).attach(jsonFile(file)).build();
  },
});
