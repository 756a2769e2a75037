// What Slack sends, back to what the person typed: one slash command or a mention carrying
// every command, Slack's escaping and <…> tokens decoded, the caller's language and name kept.
import { describe, expect, it } from "vitest";
import {
  commandFromMention,
  commandFromSlash,
  mentionCommandLine,
  slashCommandSchema,
  splitCommandLine,
} from "../../../adapters/slack/inbound.ts";
import { decodeSlackText } from "../../../adapters/slack/mrkdwn.ts";

describe("Slack's text", () => {
  it("decodes entities, mentions, channels and links to what the user typed", () => {
    expect(decodeSlackText("Tenants &lt;Local 12&gt; &amp; friends, &amp;lt;literally&amp;gt;")).toBe("Tenants <Local 12> & friends, &lt;literally&gt;");
    expect(decodeSlackText("grant <@U0BEA0002|bea> facilitator")).toBe("grant @U0BEA0002 facilitator");
    expect(decodeSlackText("grant <@U0BEA0002> x")).toBe("grant @U0BEA0002 x");
    expect(decodeSlackText("in <#C0BERLIN1|berlin-tenants> <!here> <!subteam^S123|@organizers>")).toBe("in #berlin-tenants @here @organizers");
    expect(decodeSlackText("see <https://zoom.us/j/1?a=1&amp;b=2> or <http://example.org|example.org> or <mailto:a@b.org|a@b.org>")).toBe(
      "see https://zoom.us/j/1?a=1&b=2 or example.org or a@b.org",
    );
    expect(decodeSlackText("<https://example.org/form|the form>")).toBe("the form (https://example.org/form)");
  });
});

describe("command lines", () => {
  it("takes the first word as the command and keeps the rest as typed", () => {
    expect(splitCommandLine("Register  Tenants of Kreuzberg country=DE")).toEqual({ name: "register", text: "Tenants of Kreuzberg country=DE" });
    expect(splitCommandLine("/join")).toEqual({ name: "join", text: "" });
    expect(splitCommandLine("homework submit\nline two")).toEqual({ name: "homework", text: "submit\nline two" });
  });

  it("shows help when only the slash command is sent", () => {
    expect(splitCommandLine("   ")).toEqual({ name: "help", text: "" });
  });

  it("reads a mention's command after the bot's name, with or without the slash command", () => {
    expect(mentionCommandLine("<@U0FAKEBOT> register Tenants", "U0FAKEBOT", "/o4p")).toBe("register Tenants");
    expect(mentionCommandLine("<@U0FAKEBOT|organizing-bot>   /o4p join", "U0FAKEBOT", "/o4p")).toBe(" join");
    expect(mentionCommandLine("hey <@U0FAKEBOT> schedule please", "U0FAKEBOT", "/o4p")).toBe("hey   schedule please");
  });
});

describe("IncomingCommand", () => {
  const payload = slashCommandSchema.parse({
    command: "/o4p",
    text: "register Tenants &amp; Co",
    user_id: "U0ADA0001",
    user_name: "ada",
    channel_id: "C0BERLIN1",
    response_url: "https://hooks.slack.com/commands/T1/2/3",
    team_id: "T0FAKETEAM",
  });

  it("carries the user's Slack language and name when users.info gave them, the handle otherwise", () => {
    expect(commandFromSlash(payload, { displayName: "Ada Lovelace", locale: "pt-BR" })).toEqual({
      platform: "slack",
      channelId: "C0BERLIN1",
      isPrivateChat: false,
      userId: "U0ADA0001",
      displayName: "Ada Lovelace",
      username: "ada",
      userLocale: "pt-BR",
      name: "register",
      text: "Tenants & Co",
    });
    const bare = commandFromSlash(payload, {});
    expect(bare.displayName).toBe("ada");
    expect(bare).not.toHaveProperty("userLocale");
  });

  it("knows a direct message from a channel", () => {
    expect(commandFromSlash({ ...payload, channel_id: "D0ADA0001" }, {}).isPrivateChat).toBe(true);
    expect(commandFromSlash({ ...payload, channel_id: "G0PRIVATE" }, {}).isPrivateChat).toBe(false);
  });

  it("refuses a payload without the fields the bot relies on", () => {
    expect(slashCommandSchema.safeParse({ command: "/o4p", text: "x", channel_id: "C1" }).success).toBe(false);
  });

  it("maps files shared with a mention to attachments with their address and name", () => {
    const command = commandFromMention(
      {
        type: "app_mention",
        user: "U0BEA0002",
        text: "<@U0FAKEBOT> homework submit 1",
        channel: "C0BERLIN1",
        ts: "1.2",
        files: [
          { id: "F1", name: "essay.pdf", mimetype: "application/pdf", size: 1234, url_private_download: "https://files.slack.com/files-pri/T-F1/download/essay.pdf" },
          { id: "F2", title: "no address" },
        ],
      },
      "U0FAKEBOT",
      "/o4p",
      {},
    );
    expect(command).toMatchObject({ name: "homework", text: "submit 1", userId: "U0BEA0002", displayName: "U0BEA0002" });
    expect(command.attachments).toEqual([
      { url: "https://files.slack.com/files-pri/T-F1/download/essay.pdf", fileName: "essay.pdf", contentType: "application/pdf", size: 1234 },
    ]);
  });
});
