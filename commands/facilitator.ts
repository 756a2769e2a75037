import { languageLabel } from "../src/breakouts/labels.ts";
import { leadableRooms } from "../src/breakouts/parallel-rooms.ts";
import { MAX_FACILITATOR_CAPACITY, meetingUrlSchema } from "../src/breakouts/program-settings.ts";
import { arg, positional } from "../src/core/args.ts";
import { defineCommand, defineGroup } from "../src/core/command.ts";
import type { CommandContext } from "../src/core/context.ts";
import { UserError } from "../src/core/errors.ts";
import { message, type Span } from "../src/core/messages.ts";
import type { FacilitatorProfile } from "../src/generated/prisma/client.ts";
import { SUPPORTED_LOCALES } from "../src/i18n/i18n.ts";
import { requireLanguage } from "../src/i18n/languages.ts";

function profileMessage(context: CommandContext, profile: FacilitatorProfile) {
  const { t, locale } = context;
  const languages = profile.languages.map((code) => languageLabel(code, locale)).join(", ");
  const leadable = leadableRooms(profile.capacity, profile.meetingUrls);
  const links: Span[] = profile.meetingUrls.flatMap((url, k) => [k === 0 ? " " : " · ", { text: url, href: url }]);
  return message()
    .heading(t("facilitator.profile.heading", { name: context.caller.displayName }))
    .list([
      [t("facilitator.profile.languages", { languages })],
      [profile.capacity > 0 ? t("facilitator.profile.capacity", { count: profile.capacity }) : t("facilitator.profile.paused")],
      ...(leadable < profile.capacity ? [[t("facilitator.profile.limitedByLinks", { count: leadable })]] : []),
      profile.meetingUrls.length > 0 ? [t("facilitator.profile.links", { count: profile.meetingUrls.length }), ...links] : [t("facilitator.profile.noLink")],
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

const OFF = ["off", "none", "-"];

/** The links of the facilitator's own video rooms, one per room they lead at the same time ("off" removes them). */
const link = defineCommand({
  name: "link",
  role: "facilitator",
  privateReply: true,
  args: { links: positional(arg.text({ required: true, max: 2000 }), { rest: true }) },
  async run(context, args) {
    const words = args.links.split(/\s+/).filter(Boolean);
    const off = words.length === 1 && OFF.includes(words[0]!.toLowerCase());
    if (words.length > MAX_FACILITATOR_CAPACITY) throw new UserError("facilitator.tooManyLinks", { max: MAX_FACILITATOR_CAPACITY });
    const urls = off
      ? []
      : words.map((word) => {
          const parsed = meetingUrlSchema.safeParse(word);
          if (!parsed.success) throw new UserError("facilitator.badLink", { input: word });
          return parsed.data;
        });
    return profileMessage(context, await context.services.facilitators.setLinks(context.caller, urls));
  },
});

export default defineGroup({ name: "facilitator", subcommands: [show, languages, link], defaultSubcommand: "show" });
