import { defineCommand, defineGroup } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";

/** Coordinators stop all reminders of the program for a while (those due meanwhile are not sent later). */
const pause = defineCommand({
  name: "pause",
  role: "coordinator",
  args: {},
  async run(context) {
    const program = requireProgram(context);
    const cancelled = await context.services.schedule.pauseReminders(program, context.caller);
    return context.t("reminders.paused", { program: program.title, count: cancelled });
  },
});

const resume = defineCommand({
  name: "resume",
  role: "coordinator",
  args: {},
  async run(context) {
    const program = requireProgram(context);
    const queued = await context.services.schedule.resumeReminders(program, context.caller);
    return context.t("reminders.resumed", { program: program.title, count: queued });
  },
});

export default defineGroup({ name: "reminders", subcommands: [pause, resume] });
