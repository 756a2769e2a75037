import { arg } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireGroup, requireProgram } from "../src/core/context.ts";
import { MAX_UNIT_SIZE } from "../src/participation/structure-tests.ts";
import { chartMessage } from "../src/participation/views.ts";

/** A group charts its unit: how many people work or live there. Alone, shows the chart and tests. */
export default defineCommand({
  name: "chart",
  role: "member",
  args: { size: arg.integer({ min: 1, max: MAX_UNIT_SIZE }) },
  async run(context, args) {
    const program = requireProgram(context);
    let group = requireGroup(context);
    const { t, services } = context;
    if (args.size !== undefined) {
      const before = group.unitSize;
      group = await services.structureTests.chart(group, args.size, context.caller);
      const line = before === null ? t("participation.chart.set", { count: args.size }) : t("participation.chart.changed", { count: args.size, before });
      return chartMessage(program, group, await services.structureTests.current(group.id), context).text(line).build();
    }
    return chartMessage(program, group, await services.structureTests.current(group.id), context).build();
  },
});
