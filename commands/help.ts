import { defineCommand, commandKey, flattenCommands } from "../src/core/command.ts";
import { message } from "../src/core/messages.ts";
import { isAllowed } from "../src/core/roles.ts";

/** Lists the commands this caller may run here, one line each, in their language. */
export default defineCommand({
  name: "help",
  role: "anyone",
  args: {},
  privateReply: true,
  async run(context) {
    const { t, standing } = context;
    const lines = flattenCommands(context.commands)
      .filter(({ definition }) => isAllowed(definition.role, standing))
      .map(({ path, definition }) => [
        { text: `/${path.join(" ")}`, style: "code" as const },
        ` — ${t(`${commandKey(path[0]!, path[1])}.description`)}`,
        ...(definition.role === "anyone" || definition.role === "member" ? [] : [` (${t(`roles.${definition.role}`)})`]),
      ]);
    return message().heading(t("help.title")).list(lines).text(t("help.footer")).build();
  },
});
