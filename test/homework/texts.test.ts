import { describe, expect, it } from "vitest";
import { assignmentText, excerpt, linkSpans, linksIn } from "../../src/homework/texts.ts";

describe("homework texts", () => {
  it("picks the reader's language, else the program's, else any", () => {
    expect(assignmentText({ en: "Talk", es: "Habla" }, "es", "en")).toBe("Habla");
    expect(assignmentText({ en: "Talk", es: "Habla" }, "ko", "en")).toBe("Talk");
    expect(assignmentText({ de: "Sprich" }, "ko", "en")).toBe("Sprich");
  });

  it("turns links into link spans and leaves every other character alone", () => {
    const text = "See https://example.org/a?b=1, then (https://x.example/y). <b>ok</b>";
    const spans = linkSpans(text);
    expect(spans).toEqual([
      "See ",
      { text: "https://example.org/a?b=1", href: "https://example.org/a?b=1" },
      ", then (",
      { text: "https://x.example/y", href: "https://x.example/y" },
      "). <b>ok</b>",
    ]);
    expect(spans.map((span) => (typeof span === "string" ? span : span.text)).join("")).toBe(text);
    expect(linksIn(text)).toEqual(["https://example.org/a?b=1", "https://x.example/y"]);
    expect(linkSpans("javascript:alert(1) ftp://x")).toEqual(["javascript:alert(1) ftp://x"]);
  });

  it("shortens on one line, at a space, never through a link", () => {
    expect(excerpt("short\ntext", 20)).toBe("short text");
    expect(excerpt("one two three four five six", 16)).toBe("one two three…");
    expect(excerpt("notes at https://example.org/a-long-path and more", 20)).toBe("notes at…");
    expect(excerpt("https://example.org/a-long-path and more", 20)).toBe("https://example.org/a-long-path…");
  });
});
