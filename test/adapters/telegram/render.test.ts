// Rendering the neutral message as Telegram HTML: escaping, structure, mass mentions, and
// splitting at the 4,096-character limit on line boundaries into chunks that are valid HTML.
import { describe, expect, it } from "vitest";
import { message } from "../../../src/core/messages.ts";
import { escapeHtml, MESSAGE_LIMIT, renderChunks } from "../../../adapters/telegram/render.ts";

const WORD_JOINER = "\u2060";

describe("Telegram HTML rendering", () => {
  it("escapes every piece of text and formats only from structure", () => {
    expect(escapeHtml(`<b>Q&A</b> "x"`)).toBe("&lt;b&gt;Q&amp;A&lt;/b&gt; \"x\"");
    const [chunk, ...rest] = renderChunks(
      message()
        .heading("Week <1> & more")
        .text("Read ", { text: "this", style: "italic" }, " and run ", { text: "/join", style: "code" }, " — ", { text: "agenda", href: "https://example.org/a?b=1&c=\"2\"" })
        .list([["first *item*"], ["second _item_"]])
        .pre("a < b\n  c > d")
        .build(),
    );
    expect(rest).toEqual([]);
    expect(chunk!.html).toBe(
      [
        "<b>Week &lt;1&gt; &amp; more</b>",
        'Read <i>this</i> and run <code>/join</code> — <a href="https://example.org/a?b=1&amp;c=&quot;2&quot;">agenda</a>',
        "• first *item*",
        "• second _item_",
        "<pre>a &lt; b\n  c &gt; d</pre>",
      ].join("\n"),
    );
    expect(chunk!.plain).toBe("Week <1> & more\nRead this and run /join — agenda\n• first *item*\n• second _item_\na < b\n  c > d");
  });

  it("links only web addresses", () => {
    const [chunk] = renderChunks(message().text({ text: "click", href: "javascript:alert(1)" }).build());
    expect(chunk!.html).toBe("click");
  });

  it("keeps @everyone and @all from reaching anyone unless mass mentions are allowed", () => {
    const text = "Meeting tonight @everyone @All @here, thanks @alice";
    const [quiet] = renderChunks(message().text(text).build());
    expect(quiet!.plain).toBe(`Meeting tonight @${WORD_JOINER}everyone @${WORD_JOINER}All @${WORD_JOINER}here, thanks @alice`);
    const [loud] = renderChunks({ ...message().text(text).build(), allowMassMentions: true });
    expect(loud!.plain).toBe(text);
  });

  it("splits long messages on line boundaries, each chunk within the limit", () => {
    const lines = Array.from({ length: 30 }, (_, index) => `${index}: ${"word ".repeat(60)}`.trim());
    const chunks = renderChunks(message().text(lines.join("\n")).build());
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.plain.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(chunks.map((chunk) => chunk.plain).join("\n")).toBe(lines.join("\n"));
  });

  it("cuts a line longer than the limit between words, or mid-word when it has no spaces, never inside an emoji", () => {
    const words = "solidarity ".repeat(1000).trim();
    const chunks = renderChunks(message().text({ text: words, style: "bold" }).build());
    for (const chunk of chunks) {
      expect(chunk.plain.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(chunk.plain.trim().split(" ").every((word) => word === "solidarity")).toBe(true);
      expect(chunk.html.startsWith("<b>") && chunk.html.endsWith("</b>")).toBe(true);
    }
    const emoji = `${"a".repeat(MESSAGE_LIMIT - 1)}✊🏽${"b".repeat(10)}`;
    const cut = renderChunks(message().text(emoji).build());
    expect(cut.map((chunk) => chunk.plain).join("")).toBe(emoji);
    expect(cut.every((chunk) => !/[\uD800-\uDBFF]$/.test(chunk.plain))).toBe(true);
  });

  it("closes and reopens a preformatted block cut across chunks", () => {
    const table = Array.from({ length: 400 }, (_, index) => `row ${String(index).padStart(3, "0")} | <value> & more`).join("\n");
    const chunks = renderChunks(message().heading("Export").pre(table).build());
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.plain.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(chunk.html.split("<pre>").length).toBe(chunk.html.split("</pre>").length);
    }
    expect(chunks[1]!.html.startsWith("<pre>row")).toBe(true);
  });

  it("sends nothing for a message that is only whitespace", () => {
    expect(renderChunks(message().text("  \n ").build())).toEqual([]);
  });
});
