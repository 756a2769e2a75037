import { defineCommand } from "../src/core/command.ts";
import { message } from "../src/core/messages.ts";
import { LINK_LIFETIME_MS } from "../src/dashboard/access.ts";
import { formatDateTime } from "../src/time/format.ts";

/** Coordinators and facilitators: a one-time link that signs them in to the web dashboard. */
export default defineCommand({
  name: "dashboard",
  role: "facilitator",
  privateReply: true,
  args: {},
  async run(context) {
    const { url, expiresAt } = await context.services.dashboard.createLink(context.caller, context.locale, context.timezone);
    return message()
      .text(context.t("dashboard.link.intro"))
      .text({ text: url, href: url })
      .text(context.t("dashboard.link.expires", { minutes: LINK_LIFETIME_MS / 60_000, time: formatDateTime(expiresAt, context.locale, context.timezone) }))
      .confidentially()
      .build();
  },
});
