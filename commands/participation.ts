import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { participationGroups } from "../src/participation/access.ts";
import { participationMessage } from "../src/participation/views.ts";

/**
 * Attendance, punctuality and homework per group with the sessions side by side: a group's own
 * in its channel, a facilitator's groups (a coordinator's: all) in a facilitators' channel.
 */
export default defineCommand({
  name: "participation",
  role: "anyone",
  slow: true,
  args: { session: positional(arg.integer({ min: 1, max: 100, autocomplete: "session" })) },
  async run(context, args) {
    const program = requireProgram(context);
    const groups = await participationGroups(context, "/participation");
    const reports = context.services.participation;
    const sessions = await reports.sessions(program, context.clock.now(), args.session);
    if (args.session !== undefined && sessions.length === 0) throw new UserError("participation.unknownSession", { index: args.session });
    const report = await reports.report(program, groups, sessions);
    return participationMessage(program, report, { t: context.t, locale: context.locale, timezone: context.timezone }).build();
  },
});
