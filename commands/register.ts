import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { message } from "../src/core/messages.ts";
import { requireCountry } from "../src/i18n/countries.ts";
import { languageName, requireLanguage } from "../src/i18n/languages.ts";
import { requireTimezone } from "../src/time/zones.ts";

/** Binds this channel to a new group of the active program, with the caller as its lead. */
export default defineCommand({
  name: "register",
  role: "anyone",
  groupChatOnly: true,
  args: {
    name: positional(arg.text({ required: true, max: 80, min: 2 }), { rest: true }),
    organization: arg.text({ max: 120, aliases: ["org"] }),
    country: arg.text({ max: 60, autocomplete: "country" }),
    language: arg.text({ max: 40, aliases: ["lang"], autocomplete: "language" }),
    timezone: arg.text({ max: 64, aliases: ["tz"], autocomplete: "timezone" }),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const { services, incoming } = context;
    const locale = args.language ? requireLanguage(args.language) : context.locale;
    const timezone = args.timezone ? requireTimezone(args.timezone) : program.timezone;
    const group = await services.registration.register({
      program,
      platform: incoming.platform,
      channelId: incoming.channelId,
      lead: context.caller,
      name: args.name,
      organization: args.organization,
      country: args.country ? requireCountry(args.country, context.locale) : undefined,
      locale,
      timezone,
    });
    // The group's language (chosen here, else the caller's) is the welcome's: it speaks it from now on.
    const welcome = context.i18n.translator(locale);
    return message()
      .heading(welcome("register.done", { group: group.name, program: program.title }))
      .text(welcome("register.settings", { language: languageName(locale), timezone }))
      .text(welcome("register.next"))
      .build();
  },
});
