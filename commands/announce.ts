import type { AudienceFilter } from "../src/announcements/audience.ts";
import { MAX_ANNOUNCEMENT_TEXT, parseCountries, parseLanguages, parsePlatforms, parseSendAt } from "../src/announcements/options.ts";
import { cancellationMessage, confirmationMessage, draftPreviewMessage, statusMessage } from "../src/announcements/replies.ts";
import { arg, positional } from "../src/core/args.ts";
import { defineCommand, defineGroup } from "../src/core/command.ts";
import { requireProgram } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { requireLanguage } from "../src/i18n/languages.ts";

/**
 * Coordinators write an announcement and see a preview; nothing goes out until /announce send.
 * "/announce <text>" starts a draft (replacing theirs), "/announce lang=es <text>" adds the
 * Spanish version, options alone change the draft, and "/announce" alone shows it again.
 */
const draft = defineCommand({
  name: "draft",
  role: "coordinator",
  freeText: true,
  privateReply: true,
  args: {
    text: positional(arg.text({ max: MAX_ANNOUNCEMENT_TEXT, multiline: true }), { rest: true }),
    lang: arg.text({ max: 40, autocomplete: "language" }),
    languages: arg.text({ max: 200 }),
    countries: arg.text({ max: 400 }),
    platforms: arg.text({ max: 100 }),
    groups: arg.text({ max: 1000 }),
    at: arg.text({ max: 40 }),
    mentions: arg.choice(["everyone", "none"]),
  },
  async run(context, args) {
    const program = requireProgram(context);
    const { services, caller, clock } = context;
    const lang = args.lang === undefined ? undefined : requireLanguage(args.lang);
    if (lang && args.text === undefined) throw new UserError("announce.langNeedsText");
    const filter: Partial<AudienceFilter> = {};
    if (args.languages !== undefined) filter.languages = parseLanguages(args.languages);
    if (args.countries !== undefined) filter.countries = parseCountries(args.countries, context.locale);
    if (args.platforms !== undefined) filter.platforms = parsePlatforms(args.platforms);
    if (args.groups !== undefined) filter.groupIds = await services.announcements.findGroups(program, args.groups);
    const sendAt = args.at === undefined ? undefined : parseSendAt(args.at, context.timezone, clock.now());
    const allowMassMentions = args.mentions === undefined ? undefined : args.mentions === "everyone";

    const changesNothing = args.text === undefined && Object.keys(filter).length === 0 && sendAt === undefined && allowMassMentions === undefined;
    if (changesNothing) {
      const current = await services.announcements.draftOf(program, caller);
      if (!current) throw new UserError("announce.howTo");
      return draftPreviewMessage(context, await services.announcements.preview(current));
    }
    const preview = await services.announcements.write(program, caller, { text: args.text, lang, filter, sendAt, allowMassMentions });
    return draftPreviewMessage(context, preview);
  },
});

const send = defineCommand({
  name: "send",
  role: "coordinator",
  args: {},
  async run(context) {
    const confirmation = await context.services.announcements.confirm(requireProgram(context), context.caller);
    return confirmationMessage(context, confirmation);
  },
});

const announcementId = () => positional(arg.integer({ min: 1, max: 2_147_483_647 }));

const cancel = defineCommand({
  name: "cancel",
  role: "coordinator",
  args: { id: announcementId() },
  async run(context, args) {
    const cancellation = await context.services.announcements.cancel(requireProgram(context), context.caller, args.id);
    return cancellationMessage(context, cancellation);
  },
});

const status = defineCommand({
  name: "status",
  role: "coordinator",
  args: { id: announcementId() },
  async run(context, args) {
    const report = await context.services.announcements.report(requireProgram(context), args.id);
    if (!report) return context.t("announce.noneYet");
    return statusMessage(context, report);
  },
});

export default defineGroup({ name: "announce", subcommands: [draft, send, cancel, status], defaultSubcommand: "draft" });
