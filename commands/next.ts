import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { message } from "../src/core/messages.ts";
import { programTimeText, sessionTimes } from "../src/schedule/session-view.ts";
import { formatDuration } from "../src/time/relative.ts";
import { sessionTitle } from "../src/programs/session-titles.ts";

/** The next session (or the one running now), with how long until it starts. */
export default defineCommand({
  name: "next",
  role: "anyone",
  args: {},
  async run(context) {
    const program = requireProgram(context);
    const { t, locale, timezone, clock } = context;
    const next = await context.services.schedule.next(program);
    if (!next) return t("next.none", { program: program.title });
    const { session, running } = next;
    const times = sessionTimes(session, program, locale, timezone);
    const body = message().heading(
      running
        ? t("next.running", { index: session.index, title: sessionTitle(session, locale) })
        : t("next.upcoming", { index: session.index, title: sessionTitle(session, locale), in: formatDuration(session.startsAt.getTime() - clock.now().getTime(), locale) }),
    );
    // The zone is named: in a private chat it is the caller's group's, not the channel's.
    body.text(t("reminder.when", times));
    const programTime = programTimeText(t, times);
    if (programTime) body.text(programTime);
    if (program.joinUrl) body.text(t("reminder.join"), " ", { text: program.joinUrl, href: program.joinUrl });
    return body.build();
  },
});
