import { defineCommand } from "../src/core/command.ts";
import { requireGroup } from "../src/core/context.ts";

/** Makes the caller a participant of the group bound to this channel. */
export default defineCommand({
  name: "join",
  role: "anyone",
  groupChatOnly: true,
  args: {},
  async run(context) {
    const group = requireGroup(context);
    const outcome = await context.services.registration.join(group, context.caller);
    return context.t(outcome === "joined" ? "join.done" : "join.already", { group: group.name, name: context.caller.displayName });
  },
});
