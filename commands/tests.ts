import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { visibleGroups } from "../src/homework/access.ts";
import { testsOverviewMessage } from "../src/participation/views.ts";

/** Facilitators and coordinators: each of their groups' latest structure test, and who has none. */
export default defineCommand({
  name: "tests",
  role: "facilitator",
  privateReply: true,
  args: {},
  async run(context) {
    const program = requireProgram(context);
    const groups = (await visibleGroups(context)).filter((group) => group.status === "active");
    if (groups.length === 0) throw new UserError("participation.noGroups");
    const latest = await context.services.structureTests.latestPerGroup(groups.map((group) => group.id));
    return testsOverviewMessage(program, groups, latest, context).build();
  },
});
