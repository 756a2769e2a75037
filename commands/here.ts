import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireGroup, requireProgram } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { message } from "../src/core/messages.ts";
import { tokenize } from "../src/core/parse.ts";
import { matchMembers } from "../src/participation/check-ins.ts";
import { formatTime } from "../src/time/format.ts";

/**
 * Checks the caller in to the session whose check-in is open (the reminder's button sends it
 * with the session's number). A lead adds the names of people who joined on their screen.
 */
export default defineCommand({
  name: "here",
  role: "member",
  privateReply: true,
  args: {
    session: arg.integer({ min: 1, max: 100, autocomplete: "session" }),
    names: positional(arg.text({ max: 1000 }), { rest: true }),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const group = requireGroup(context);
    const { t, locale, timezone, caller, services } = context;
    const names = args.names ? tokenize(args.names).map((token) => token.value).filter(Boolean) : [];
    if (names.length > 0 && !caller.isLead && context.role !== "coordinator") throw new UserError("participation.here.leadOnly");
    const session = await services.checkIns.openSession(program, args.session);
    if (names.length === 0) {
      const { checkIn, created } = await services.checkIns.checkIn({ session, group, member: caller, source: "self", recorder: caller });
      const params = { name: caller.displayName, index: session.index, title: session.title, time: formatTime(checkIn.checkedInAt, locale, timezone) };
      if (!created) return t(checkIn.present ? "participation.here.already" : "participation.here.markedAbsent", params);
      return t(checkIn.late ? "participation.here.late" : "participation.here.done", params);
    }
    const { found, unknown } = matchMembers(names, await services.checkIns.groupMembers(group.id));
    const added: string[] = [];
    const already: string[] = [];
    for (const member of found) {
      const { created } = await services.checkIns.checkIn({ session, group, member, source: member.id === caller.id ? "self" : "lead", recorder: caller });
      (created ? added : already).push(member.displayName);
    }
    const body = message().heading(t("participation.here.groupHeading", { index: session.index, title: session.title }));
    if (added.length > 0) body.text(t("participation.here.added", { count: added.length, names: added.join(", ") }));
    if (already.length > 0) body.text(t("participation.here.alreadyNames", { names: already.join(", ") }));
    if (unknown.length > 0) body.text(t("participation.here.unknown", { names: unknown.join(", "), group: group.name }));
    if (session.startsAt < context.clock.now()) body.text(t("participation.here.lateNote"));
    return body.build();
  },
});
