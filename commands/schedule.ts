import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { message, type Span } from "../src/core/messages.ts";
import { programTimeText, sessionTimes } from "../src/schedule/session-view.ts";
import { sessionTitle } from "../src/programs/session-titles.ts";

/** All sessions of the program in the group's time zone and language, past ones marked. */
export default defineCommand({
  name: "schedule",
  role: "anyone",
  args: {},
  async run(context) {
    const program = requireProgram(context);
    const { t, locale, timezone, clock } = context;
    const sessions = await context.services.schedule.sessions(program);
    const now = clock.now().getTime();
    const items: Span[][] = sessions.map((session) => {
      const times = sessionTimes(session, program, locale, timezone);
      const past = session.startsAt.getTime() + session.durationMinutes * 60_000 <= now;
      const line: Span[] = [
        { text: `${session.index}. ${sessionTitle(session, locale)}`, style: "bold" },
        ` — ${t("schedule.when", times)}`,
      ];
      const programTime = programTimeText(t, times);
      if (programTime) line.push(` · ${programTime}`);
      if (past) line.push(` · ${t("schedule.past")}`);
      return line;
    });
    return message()
      .heading(t("schedule.heading", { program: program.title, zone: timezone }))
      .list(items)
      .build();
  },
});
