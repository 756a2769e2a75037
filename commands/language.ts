import { arg, positional } from "../src/core/args.ts";
import { defineCommand } from "../src/core/command.ts";
import { requireGroup } from "../src/core/context.ts";
import { languageName, requireLanguage } from "../src/i18n/languages.ts";

/** Sets the language the group's channel receives reminders and announcements in. */
export default defineCommand({
  name: "language",
  role: "lead",
  args: { code: positional(arg.text({ required: true, max: 40, autocomplete: "language" })) },
  async run(context, args) {
    const group = requireGroup(context);
    const locale = requireLanguage(args.code);
    await context.services.registration.setLanguage(group, locale);
    // Answer in the new language: it is the group's from now on.
    return context.i18n.translator(locale)("language.done", { group: group.name, language: languageName(locale) });
  },
});
