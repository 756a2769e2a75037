import { defineCommand } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";

/** Takes the caller out of their group (undoes /join). */
export default defineCommand({
  name: "leave",
  role: "anyone",
  args: {},
  async run(context) {
    const outcome = await context.services.registration.leave(context.caller);
    if (!outcome) throw new UserError("leave.notInGroup");
    const { t } = context;
    const lines = [t("leave.done", { group: outcome.group.name, name: context.caller.displayName })];
    if (outcome.wasLead) lines.push(t("leave.leadVacant"));
    return lines.join("\n");
  },
});
