// Discord markdown rendering: what people typed shows as typed, never formats or pings, and long
// messages split on line boundaries within 2,000 characters.
import { describe, expect, it } from "vitest";
import { message, type OutgoingMessage } from "../../../src/core/messages.ts";
import { allowedMentionTypes, escapeMarkdown, MESSAGE_LIMIT, renderMessage } from "../../../adapters/discord/render.ts";

const ZWSP = "\u200b";

describe("Discord escaping", () => {
  it("keeps a coordinator's <b>, *, _, backticks, & and @everyone from formatting or pinging", () => {
    const announcement = message().heading("Big *news*").text("<b>Strike</b> vote on *Friday* at 5 & bring_friends `now` @everyone @here").build();
    const [content] = renderMessage(announcement);
    expect(content).toBe(
      [
        "**Big \\*news\\***",
        `\\<b\\>Strike\\</b\\> vote on \\*Friday\\* at 5 & bring\\_friends \\\`now\\\` @${ZWSP}everyone @${ZWSP}here`,
      ].join("\n"),
    );
    expect(allowedMentionTypes(announcement)).toEqual([]);
  });

  it("keeps mention, channel, emoji and timestamp markup as text", () => {
    expect(escapeMarkdown("<@123456789012345678> <@&42> <#99> <:party:1> <t:1700000000:R>")).toBe(
      "\\<@123456789012345678\\> \\<@&42\\> \\<#99\\> \\<:party:1\\> \\<t:1700000000:R\\>",
    );
  });

  it("neutralises line-start markdown: headings, quotes, lists, numbered lists, subtext", () => {
    expect(escapeMarkdown("# Not a heading\n> not a quote\n- not a list\n-# not subtext\n12. not numbered")).toBe(
      "\\# Not a heading\n\\> not a quote\n\\- not a list\n\\-# not subtext\n12\\. not numbered",
    );
  });

  it("escapes spoilers, strike-through, masked links and backslashes", () => {
    expect(escapeMarkdown("||secret|| ~~gone~~ [click](https://evil.example) C:\\temp")).toBe(
      "\\|\\|secret\\|\\| \\~\\~gone\\~\\~ \\[click\\](https://evil.example) C:\\\\temp",
    );
  });

  it("leaves URLs as typed so they still work", () => {
    expect(escapeMarkdown("Join at https://meet.example.org/a_b*c?x=1 now")).toBe("Join at https://meet.example.org/a_b*c?x=1 now");
  });

  it("keeps @everyone and role mentions live only when the message allows mass mentions", () => {
    const allowed: OutgoingMessage = { blocks: [{ type: "text", spans: ["@everyone vote <@&123456> *now*"] }], allowMassMentions: true };
    expect(renderMessage(allowed)).toEqual(["@everyone vote <@&123456> \\*now\\*"]);
    expect(allowedMentionTypes(allowed)).toEqual(["everyone", "roles"]);
  });

  it("renders styles, links and code without letting their text break out", () => {
    const rendered = renderMessage(
      message()
        .text({ text: "a*b", style: "bold" }, " ", { text: "x_y", style: "italic" }, " ", { text: "co`de", style: "code" })
        .text("Join here: ", { text: "https://meet.example.org/x", href: "https://meet.example.org/x" })
        .text({ text: "the [notes]", href: "https://example.org/notes(1)" }, " ", { text: "mail", href: "mailto:a@example.org" })
        .list([["first"], ["# second"]])
        .build(),
    );
    expect(rendered).toEqual([
      [
        "**a\\*b** *x\\_y* `coˋde`",
        "Join here: <https://meet.example.org/x>",
        "[the \\[notes\\]](<https://example.org/notes%281%29>) mail (mailto:a@example.org)",
        "- first",
        "- \\# second",
      ].join("\n"),
    ]);
  });

  it("keeps a code block closed when its text contains a fence", () => {
    expect(renderMessage(message().pre("a,b\n```\n@everyone").build())).toEqual([`\`\`\`\na,b\n\`${ZWSP}\`\`\n@everyone\n\`\`\``]);
  });
});

describe("Discord message splitting", () => {
  it("splits long messages on line boundaries, each part within the limit, losing nothing", () => {
    const lines = Array.from({ length: 120 }, (_, index) => `${index + 1}: ${"word ".repeat(8)}`.trim());
    const parts = renderMessage(message().list(lines.map((line) => [line])).build());
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(parts.join("\n").split("\n")).toEqual(lines.map((line) => `- ${line}`));
  });

  it("closes and reopens a code block split across messages", () => {
    const rows = Array.from({ length: 300 }, (_, index) => `row ${index},value ${index}`);
    const parts = renderMessage(message().pre(rows.join("\n")).build(), 500);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(500);
      expect(part.startsWith("```\n")).toBe(true);
      expect(part.endsWith("\n```")).toBe(true);
    }
    expect(parts.flatMap((part) => part.split("\n").slice(1, -1))).toEqual(rows);
  });

  it("cuts a single overlong line at spaces, never inside an escape", () => {
    const line = "*".repeat(3000);
    const parts = renderMessage(message().text(line).build());
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(part).toMatch(/^(\\\*)+$/);
    }
    expect(parts.join("")).toBe("\\*".repeat(3000));

    const words = renderMessage(message().text("organize ".repeat(500).trim()).build());
    expect(words.every((part) => !part.startsWith(" ") && !part.endsWith(" ") && part.length <= MESSAGE_LIMIT)).toBe(true);
    expect(words.join(" ")).toBe("organize ".repeat(500).trim());
  });

  it("sends nothing for an empty message", () => {
    expect(renderMessage({ blocks: [] })).toEqual([]);
  });
});
