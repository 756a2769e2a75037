import { languageLabel } from "../src/breakouts/labels.ts";
import { MAX_FACILITATOR_CAPACITY, meetingUrlSchema } from "../src/breakouts/program-settings.ts";
import { arg, positional } from "../src/core/args.ts";
import { defineCommand, defineGroup } from "../src/core/command.ts";
import type { CommandContext } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { message } from "../src/core/messages.ts";
import type { FacilitatorProfile } from "../src/generated/prisma/client.ts";
import { SUPPORTED_LOCALES } from "../src/i18n/i18n.ts";
import { requireLanguage } from "../src/i18n/languages.ts";

function profileMessage(context: CommandContext, profile: FacilitatorProfile) {
  const { t, locale } = context;
  const languages = profile.languages.map((code) => languageLabel(code, locale)).join(", ");
  return message()
    .heading(t("facilitator.profile.heading", { name: context.caller.displayName }))
    .list([
      [t("facilitator.profile.languages", { languages })],
      [profile.capacity > 0 ? t("facilitator.profile.capacity", { count: profile.capacity }) : t("facilitator.profile.paused")],
      profile.meetingUrl ? [t("facilitator.profile.link"), " ", { text: profile.meetingUrl, href: profile.meetingUrl }] : [t("facilitator.profile.noLink")],
    ])
    .build();
}

/** What the facilitator has declared. */
const show = defineCommand({
  name: "show",
  role: "facilitator",
  privateReply: true,
  args: {},
  async run(context) {
    const profile = await context.services.facilitators.get(context.caller);
    return profile ? profileMessage(context, profile) : context.t("facilitator.noProfile");
  },
});

/** "de, en" or "Deutsch English": the languages the facilitator can lead a room in, first language first. */
const languages = defineCommand({
  name: "languages",
  role: "facilitator",
  privateReply: true,
  args: {
    languages: positional(arg.text({ required: true, max: 120, autocomplete: "language" }), { rest: true }),
    capacity: arg.integer({ min: 0, max: MAX_FACILITATOR_CAPACITY, aliases: ["rooms"] }),
  },
  async run(context, args) {
    const words = args.languages.split(/[\s,;/]+/).filter(Boolean);
    if (words.length > SUPPORTED_LOCALES.length) throw new UserError("facilitator.tooManyLanguages", { max: SUPPORTED_LOCALES.length });
    const profile = await context.services.facilitators.declare(context.caller, words.map(requireLanguage), args.capacity);
    return profileMessage(context, profile);
  },
});

/** The link of the facilitator's own video room, given to the rooms they lead ("off" removes it). */
const link = defineCommand({
  name: "link",
  role: "facilitator",
  privateReply: true,
  args: { url: positional(arg.text({ required: true, max: 500 })) },
  async run(context, args) {
    const off = ["off", "none", "-"].includes(args.url.toLowerCase());
    const parsed = meetingUrlSchema.safeParse(args.url);
    if (!off && !parsed.success) throw new UserError("facilitator.badLink", { input: args.url });
    const profile = await context.services.facilitators.setLink(context.caller, off ? null : parsed.data!);
    return profileMessage(context, profile);
  },
});

export default defineGroup({ name: "facilitator", subcommands: [show, languages, link], defaultSubcommand: "show" });
