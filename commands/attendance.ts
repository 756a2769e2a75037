import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { message } from "../src/core/messages.ts";
import { tokenize } from "../src/core/parse.ts";
import { matchMembers } from "../src/participation/check-ins.ts";

/**
 * Facilitators: corrects attendance for people in the breakout rooms they lead (coordinators:
 * anyone). The record says who corrected it; the audit log keeps what it was.
 */
export default defineCommand({
  name: "attendance",
  role: "facilitator",
  privateReply: true,
  args: {
    status: positional(arg.choice(["present", "late", "absent"], { required: true })),
    names: positional(arg.text({ required: true, max: 1000 }), { rest: true }),
    session: arg.integer({ min: 1, max: 100, autocomplete: "session" }),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const { t, services } = context;
    const session = await services.checkIns.sessionForCorrection(program, args.session);
    const allowed = await services.checkIns.correctable(session, context.caller, context.role);
    if (allowed.length === 0) throw new UserError("participation.attendance.noRooms", { index: session.index });
    const { found, unknown } = matchMembers(tokenize(args.names).map((token) => token.value).filter(Boolean), allowed);
    for (const member of found) await services.checkIns.correct(session, member, args.status, context.caller);
    const body = message().heading(t("participation.attendance.heading", { index: session.index, title: session.title }));
    if (found.length > 0) body.text(t(`participation.attendance.${args.status}`, { count: found.length, names: found.map((member) => member.displayName).join(", ") }));
    if (unknown.length > 0) body.text(t("participation.attendance.unknown", { names: unknown.join(", ") }));
    return body.build();
  },
});
