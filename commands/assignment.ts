import { arg, positional } from "../src/core/args.ts";
import { defineCommand, defineGroup } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { message } from "../src/core/messages.ts";
import { MAX_ASSIGNMENT_TEXT, readTexts } from "../src/homework/program-settings.ts";
import { linkSpans } from "../src/homework/texts.ts";
import { dueLine } from "../src/homework/views.ts";
import { SUPPORTED_LOCALES, type Locale } from "../src/i18n/i18n.ts";
import { languageName, requireLanguage } from "../src/i18n/languages.ts";
import { sessionTitle } from "../src/programs/session-titles.ts";

const sessionArg = () => positional(arg.integer({ required: true, min: 1, max: 100, autocomplete: "session" }));

/**
 * Coordinators set one language's text of a session's homework. Without lang= it is the
 * program's default language: the text every group without its own translation reads.
 */
const set = defineCommand({
  name: "set",
  role: "coordinator",
  freeText: true,
  args: {
    session: sessionArg(),
    lang: arg.text({ max: 40, aliases: ["language"], autocomplete: "language" }),
    text: positional(arg.text({ required: true, max: MAX_ASSIGNMENT_TEXT, multiline: true }), { rest: true }),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const { t } = context;
    const locale = args.lang ? requireLanguage(args.lang) : (program.defaultLocale as Locale);
    const { texts } = await context.services.homework.setText(program, args.session, locale, args.text, context.caller);
    const scheduled = await context.services.homework.assignment(program, args.session);
    const body = message().text(
      t("assignment.set.done", { index: scheduled.session.index, title: sessionTitle(scheduled.session, context.locale), language: languageName(locale, context.locale) }),
    );
    const others = SUPPORTED_LOCALES.filter((other) => other !== locale && texts[other] !== undefined);
    if (others.length > 0) body.text(t("assignment.set.others", { index: args.session, languages: others.map((other) => languageName(other, context.locale)).join(", ") }));
    return body.build();
  },
});

/** Coordinators see a session's homework in every language it has. */
const show = defineCommand({
  name: "show",
  role: "coordinator",
  args: { session: sessionArg() },
  async run(context, args) {
    const program = requireProgram(context);
    const { t, locale } = context;
    const scheduled = await context.services.homework.assignment(program, args.session);
    const texts = readTexts(scheduled.assignment.texts);
    const languages = SUPPORTED_LOCALES.filter((code) => texts[code] !== undefined);
    return message()
      .heading(t("homework.show.heading", { index: scheduled.session.index, title: sessionTitle(scheduled.session, context.locale) }))
      .text(dueLine(scheduled, { t, locale, timezone: program.timezone, now: context.clock.now() }))
      .list(languages.map((code) => [{ text: `${languageName(code, locale)} (${code})`, style: "bold" as const }, ": ", ...linkSpans(texts[code]!)]))
      .text(t("assignment.show.fallback", { language: languageName(program.defaultLocale as Locale, locale) }))
      .build();
  },
});

export default defineGroup({ name: "assignment", subcommands: [set, show] });
