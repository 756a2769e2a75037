// Rendering for Slack: whatever anyone typed stays text (no formatting, links or notifications
// it didn't ask for), commands are named the way Slack users type them, and long messages fit
// Slack's Block Kit limits without losing or reordering a line.
import { describe, expect, it } from "vitest";
import { message, type OutgoingMessage } from "../../../src/core/messages.ts";
import { decodeSlackText, inertTextWithLinks } from "../../../adapters/slack/mrkdwn.ts";
import { cutLine, renderMessage, SLACK_LIMITS, type SlackMessage } from "../../../adapters/slack/render.ts";
import { validateBlocks } from "../../fakes/slack/index.ts";

const context = { slashCommand: "/o4p", commandNames: ["help", "register", "join", "leave", "session", "homework"] };
const ZWSP = "\u200B";

function render(outgoing: OutgoingMessage): SlackMessage[] {
  const rendered = renderMessage(outgoing, context);
  for (const part of rendered) expect(validateBlocks(part.blocks)).toEqual([]);
  return rendered;
}

function sectionTexts(outgoing: OutgoingMessage): string[] {
  return render(outgoing).flatMap((part) => part.blocks.map((block) => block.text.text));
}

/** Every formatting marker in the text sits between two zero-width spaces, except the listed wrappers. */
function markersOutsideWrappers(text: string, wrappers: string[]): string[] {
  let rest = text;
  for (const wrapper of wrappers) rest = rest.replace(wrapper, "");
  return [...rest.matchAll(/[*_~`]/g)].filter((match) => rest[match.index - 1] !== ZWSP || rest[match.index + 1] !== ZWSP).map((match) => match[0]);
}

describe("escaping", () => {
  const announcement = "<b>Strike vote</b> tonight & *everyone* must _come_ ~early~ `now` — @everyone @here @channel <!channel> <@U0ADA0001> <https://evil.example|click>";

  it("keeps a coordinator's announcement with <b>, * and @everyone as plain text that notifies nobody", () => {
    const [text] = sectionTexts(message().heading("📣 Announcement").text(announcement).build()).slice(1);
    expect(text).toContain("&lt;b&gt;Strike vote&lt;/b&gt; tonight &amp; ");
    expect(text).not.toMatch(/<[!@#]/); // no mention, channel or special token can form
    expect(text).not.toMatch(/<https?:[^>]*\|/); // no link under a label of someone else’s choosing
    expect(text).toContain(`@${ZWSP}everyone @${ZWSP}here @${ZWSP}channel`);
    expect(markersOutsideWrappers(text!, [])).toEqual([]);
    // What a person reads is exactly what the coordinator wrote.
    expect(decodeSlackText(text!.replaceAll(ZWSP, ""))).toBe(announcement);
  });

  it("lets @everyone, @here and @channel notify when the message allows mass mentions, and only those", () => {
    const [, text] = sectionTexts({ ...message().heading("📣").text(announcement).build(), allowMassMentions: true });
    expect(text).toContain("<!everyone> <!here> <!channel> &lt;!channel&gt; &lt;@U0ADA0001&gt;");
    expect(inertTextWithLinks("write to team@here.org", true)).toBe("write to team@here.org");
  });

  it("keeps the bot's own emphasis working around text that contains markers", () => {
    const texts = sectionTexts(message().heading("Group *Local 12*").text({ text: "_Tenants_", style: "bold" }, " and ", { text: "x*y", style: "code" }).build());
    expect(texts[0]).toBe(`*Group ${ZWSP}*${ZWSP}Local 12${ZWSP}*${ZWSP}*`);
    expect(texts[1]).toBe(`*${ZWSP}_${ZWSP}Tenants${ZWSP}_${ZWSP}* and \`x${ZWSP}*${ZWSP}y\``);
  });

  it("stops a line starting with > from becoming a quote", () => {
    const [text] = sectionTexts(message().text("> not a quote\nsecond line").build());
    expect(text).toBe(`${ZWSP}&gt; not a quote\nsecond line`);
  });

  it("links web addresses as they are, underscores and all, and never a javascript: link", () => {
    const [text] = sectionTexts(message().text("Call: https://zoom.us/j/123?pwd=a_b*c&x=1.").text({ text: "the form", href: "https://example.org/a|b?x=1&y=2" }, " ", { text: "bad", href: "javascript:alert(1)" }).build());
    expect(text).toBe("Call: <https://zoom.us/j/123?pwd=a_b*c&amp;x=1>.");
    const [, linked] = sectionTexts(message().text("x").text({ text: "the form", href: "https://example.org/a|b?x=1&y=2" }, " ", { text: "bad", href: "javascript:alert(1)" }).build());
    expect(linked).toBe("<https://example.org/a%7Cb?x=1&amp;y=2|the form> bad");
  });

  it("escapes preformatted text and keeps its code block closed", () => {
    const [text] = sectionTexts(message().pre("a,b\n<x>,```oops```").build());
    expect(text).toBe(`\`\`\`\na,b\n&lt;x&gt;,${ZWSP}\`${ZWSP}${ZWSP}\`${ZWSP}${ZWSP}\`${ZWSP}oops${ZWSP}\`${ZWSP}${ZWSP}\`${ZWSP}${ZWSP}\`${ZWSP}\n\`\`\``);
  });
});

describe("command references", () => {
  it("names commands the way Slack users type them, and nothing else", () => {
    const [text] = sectionTexts(
      message().text("Send /join here, then /session move 2. Not /joined, https://x.org/join or a/join. (/leave) «/help» /homework을").build(),
    );
    expect(text).toBe("Send /o4p join here, then /o4p session move 2. Not /joined, <https://x.org/join> or a/join. (/o4p leave) «/o4p help» /o4p homework을");
  });
});

describe("long messages", () => {
  it("cuts a long list into sections of at most 3000 characters, between items, in order", () => {
    const items = Array.from({ length: 400 }, (_, index) => [`item ${index} `, { text: "x".repeat(30), style: "bold" as const }]);
    const parts = render(message().heading("Long").list(items).build());
    const sections = parts.flatMap((part) => part.blocks.map((block) => block.text.text));
    expect(sections.length).toBeGreaterThan(5);
    for (const section of sections) expect([...section].length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    const lines = sections.slice(1).flatMap((section) => section.split("\n"));
    expect(lines).toEqual(items.map((_, index) => `• item ${index} *${"x".repeat(30)}*`));
  });

  it("spreads more than 50 blocks over several messages, each with its own notification text", () => {
    const outgoing = message();
    for (let index = 0; index < 120; index++) outgoing.text(`paragraph ${index}`);
    const parts = render(outgoing.build());
    expect(parts.map((part) => part.blocks.length)).toEqual([50, 50, 20]);
    expect(parts[1]!.text.split("\n")[0]).toBe("paragraph 50");
    expect(parts.every((part) => [...part.text].length <= SLACK_LIMITS.fallbackText)).toBe(true);
  });

  it("cuts a single overlong line at a space, never inside an entity or a link", () => {
    const words = Array.from({ length: 900 }, (_, index) => `w${index}&`).join(" ");
    const [text] = [inertTextWithLinks(words)];
    const pieces = cutLine(text, 3000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect([...piece].length).toBeLessThanOrEqual(3000);
      expect(piece).not.toMatch(/&[a-z]*$/);
    }
    expect(pieces.join("")).toBe(text);
    const link = `${"a".repeat(2990)} <https://example.org/${"p".repeat(40)}>`;
    expect(cutLine(link, 3000)[1]).toMatch(/^<https:/);
  });

  it("renders nothing for an empty message rather than a block Slack would refuse", () => {
    expect(render(message().text("").build())).toEqual([]);
  });
});
