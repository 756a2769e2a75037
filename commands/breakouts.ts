import { MAX_ROOM_SIZE, MIN_ROOM_SIZE } from "../src/breakouts/program-settings.ts";
import { confirmationNeeded, proposalSummary } from "../src/breakouts/summary.ts";
import { arg, positional } from "../src/core/args.ts";
import { defineCommand, defineGroup } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";

const session = () => positional(arg.integer({ required: true, min: 1, max: 100, autocomplete: "session" }));

/** Coordinators propose a session's breakout rooms; generating again replaces the proposal. */
const generate = defineCommand({
  name: "generate",
  role: "coordinator",
  privateReply: true,
  slow: true,
  args: {
    session: session(),
    size: arg.integer({ min: MIN_ROOM_SIZE, max: MAX_ROOM_SIZE }),
    mode: arg.choice(["mix", "keep"]),
    seed: arg.integer({ min: 0, max: 2_147_483_647 }),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const proposal = await context.services.breakouts.generate(program, args.session, { size: args.size, mode: args.mode, seed: args.seed }, context.caller);
    return proposalSummary(context.t, context.locale, proposal);
  },
});

/** Coordinators send the proposal to every group channel (after a change: a correction to those it changes). */
const publish = defineCommand({
  name: "publish",
  role: "coordinator",
  privateReply: true,
  args: { session: session(), confirm: arg.choice(["yes"]) },
  async run(context, args) {
    const program = requireProgram(context);
    const { t, locale } = context;
    const outcome = await context.services.breakouts.publish(program, args.session, args.confirm === "yes", context.caller);
    if (outcome.kind === "needs-confirmation") return confirmationNeeded(t, locale, outcome.details);
    const params = { index: outcome.session.index, version: outcome.version, count: outcome.groupsTold, unchanged: outcome.unchangedGroups };
    return outcome.version === 1 ? t("breakouts.publish.done", params) : t("breakouts.publish.corrected", params);
  },
});

export default defineGroup({ name: "breakouts", subcommands: [generate, publish] });
