import { arg, positional } from "../src/core/args.ts";
import { defineCommand, defineGroup } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { formatDateTime } from "../src/time/format.ts";
import { sessionTitle } from "../src/programs/session-titles.ts";

/** Coordinators move a session: its reminders follow and every group is told. */
const move = defineCommand({
  name: "move",
  role: "coordinator",
  args: {
    session: positional(arg.integer({ required: true, min: 1, max: 100, autocomplete: "session" })),
    when: positional(arg.text({ required: true, max: 40 }), { rest: true }),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const { session, from } = await context.services.schedule.move(program, args.session, args.when, context.caller);
    return context.t("session.moved", {
      index: session.index,
      title: sessionTitle(session, context.locale),
      to: formatDateTime(session.startsAt, context.locale, program.timezone),
      from: formatDateTime(from, context.locale, program.timezone),
    });
  },
});

export default defineGroup({ name: "session", subcommands: [move] });
