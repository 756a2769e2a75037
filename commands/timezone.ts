import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireGroup } from "../src/core/context.ts";
import { formatDateTime } from "../src/time/format.ts";
import { requireTimezone } from "../src/time/zones.ts";

/** Sets the time zone the group sees session times in. */
export default defineCommand({
  name: "timezone",
  role: "lead",
  args: { zone: positional(arg.text({ required: true, max: 64, autocomplete: "timezone" }), { rest: true }) },
  async run(context, args) {
    const group = requireGroup(context);
    const zone = requireTimezone(args.zone);
    await context.services.registration.setTimezone(group, zone);
    return context.t("timezone.done", {
      group: group.name,
      timezone: zone,
      now: formatDateTime(context.clock.now(), context.locale, zone),
    });
  },
});
