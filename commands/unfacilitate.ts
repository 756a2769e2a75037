import { defineCommand } from "../src/core/command.ts";
import { facilitationArgs, facilitatorAndGroup } from "./facilitate.ts";

/** Coordinators take a group away from a facilitator (undoes /facilitate). Audited. */
export default defineCommand({
  name: "unfacilitate",
  role: "coordinator",
  args: facilitationArgs,
  async run(context, args) {
    const { facilitator, group } = await facilitatorAndGroup(context, args);
    await context.services.facilitation.unlink(context.caller, facilitator, group);
    return context.t("unfacilitate.done", { name: facilitator.displayName, group: group.name });
  },
});
