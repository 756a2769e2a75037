import { defineCommand } from "../src/core/command.ts";
import { message } from "../src/core/messages.ts";
import { languageName } from "../src/i18n/languages.ts";

/** Shows the caller's role, group, language and zone as the bot sees them. */
export default defineCommand({
  name: "whoami",
  role: "anyone",
  args: {},
  privateReply: true,
  async run(context) {
    const { t, caller, role, locale, timezone } = context;
    const group = caller.groupId === null ? null : await context.services.registration.group(caller.groupId);
    const roleText = t(`roles.${role}`) + (caller.isLead && group ? `, ${t("whoami.lead")}` : "");
    return message()
      .heading(t("whoami.title", { name: caller.displayName }))
      .list([
        [t("whoami.role", { role: roleText })],
        [group ? t("whoami.group", { group: group.name }) : t("whoami.noGroup")],
        [t("whoami.language", { language: languageName(locale) })],
        [t("whoami.timezone", { timezone: group?.timezone ?? timezone })],
      ])
      .build();
  },
});
