import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireGroup, requireProgram } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { parseTestText } from "../src/participation/test-text.ts";
import { percent } from "../src/participation/report.ts";
import { reachesSupermajority } from "../src/participation/structure-tests.ts";
import { chartMessage } from "../src/participation/views.ts";

/** Records a structure test: /test "Petition for safe staffing" 87/120. Alone, shows the chart. */
export default defineCommand({
  name: "test",
  role: "member",
  freeText: true,
  args: { result: positional(arg.text({ max: 240 }), { rest: true }) },
  async run(context, args) {
    const program = requireProgram(context);
    const group = requireGroup(context);
    const { t, services } = context;
    if (!args.result) return chartMessage(program, group, await services.structureTests.current(group.id), context).build();
    const parsed = parseTestText(args.result);
    if (!parsed) throw new UserError("participation.test.format");
    const { test, corrected } = await services.structureTests.record({ group, ...parsed, by: context.caller });
    const params = { name: test.name, participants: test.participants, unitSize: test.unitSize, percent: percent(test.participants, test.unitSize), supermajority: percent(program.supermajority, 1) };
    const lines = [t(reachesSupermajority(test, program.supermajority) ? "participation.test.reached" : "participation.test.notReached", params)];
    if (corrected) lines.push(t("participation.test.corrected", { participants: corrected.participants, unitSize: corrected.unitSize }));
    return lines.join("\n");
  },
});
