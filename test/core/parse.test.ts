import { describe, expect, it } from "vitest";
import { arg, positional } from "../../src/core/args.ts";
import { defineCommand } from "../../src/core/command.ts";
import { UserError } from "../../src/core/errors.ts";
import { parseArguments, tokenize } from "../../src/core/parse.ts";

const register = defineCommand({
  name: "register",
  role: "anyone",
  args: {
    name: positional(arg.text({ required: true }), { rest: true }),
    organization: arg.text({ aliases: ["org"] }),
    country: arg.text(),
  },
  run: async () => "",
});

const announce = defineCommand({
  name: "announce",
  role: "coordinator",
  freeText: true,
  args: { lang: arg.text(), text: positional(arg.text({ required: true, multiline: true }), { rest: true }) },
  run: async () => "",
});

const scheduled = defineCommand({
  name: "announce",
  role: "coordinator",
  freeText: true,
  args: { at: arg.text(), text: positional(arg.text({ required: true, multiline: true }), { rest: true }) },
  run: async () => "",
});

const setAssignment = defineCommand({
  name: "set",
  role: "coordinator",
  freeText: true,
  args: {
    session: positional(arg.integer({ required: true })),
    lang: arg.text(),
    text: positional(arg.text({ required: true, multiline: true }), { rest: true }),
  },
  run: async () => "",
});

const grant = defineCommand({
  name: "grant",
  role: "coordinator",
  args: { user: positional(arg.text({ required: true })), role: positional(arg.choice(["facilitator", "coordinator"])) },
  run: async () => "",
});

describe("tokenize", () => {
  it("splits on spaces and keeps quoted words together", () => {
    expect(tokenize(`a "b c"  'd e' “f g”`).map((token) => token.value)).toEqual(["a", "b c", "d e", "f g"]);
  });

  it("keeps a quoted value after name=", () => {
    expect(tokenize(`org="Berlin Tenants" x`).map((token) => token.value)).toEqual(["org=Berlin Tenants", "x"]);
  });

  it("leaves an unclosed quote as an ordinary character", () => {
    expect(tokenize(`it's fine`).map((token) => token.value)).toEqual(["it's", "fine"]);
  });
});

describe("parseArguments", () => {
  it("takes the rest of the words as the positional name and reads options anywhere", () => {
    expect(parseArguments(register, "Tenants of  Kreuzberg country=DE org=\"Berlin Tenants\"")).toEqual({
      name: "Tenants of Kreuzberg",
      country: "DE",
      organization: "Berlin Tenants",
    });
  });

  it("accepts option names case-insensitively and by alias", () => {
    expect(parseArguments(register, "X ORG=Union Country=FR")).toEqual({ name: "X", organization: "Union", country: "FR" });
  });

  it("refuses an option given twice", () => {
    expect(() => parseArguments(register, "X country=DE country=FR")).toThrowError(UserError);
  });

  it("reads a free-text command's options wherever they stand and keeps the text's own spacing and line breaks", () => {
    const text = "Remember: https://zoom.us/j/1?pwd=abc\n  see  you there";
    expect(parseArguments(announce, `lang=es ${text}`)).toEqual({ lang: "es", text });
    expect(parseArguments(announce, `${text} lang=es`)).toEqual({ lang: "es", text });
    expect(parseArguments(announce, "Remember: lang=es bring  a friend")).toEqual({ lang: "es", text: "Remember: bring  a friend" });
    expect(parseArguments(announce, "First line\nlang=es\nThird line")).toEqual({ lang: "es", text: "First line\nThird line" });
  });

  it("reads the announcement's time after the text, quoted value and all", () => {
    expect(parseArguments(scheduled, `Another scheduled. at="2026-12-06 10:00"`)).toEqual({ at: "2026-12-06 10:00", text: "Another scheduled." });
    expect(parseArguments(scheduled, `Meet at="2026-12-06 10:00" in the hall`)).toEqual({ at: "2026-12-06 10:00", text: "Meet in the hall" });
  });

  it("keeps a quoted name=value in the text, without its quotes, and leaves undeclared names alone", () => {
    expect(parseArguments(scheduled, `We meet "at=noon" as usual`)).toEqual({ text: "We meet at=noon as usual" });
    expect(parseArguments(scheduled, `Say "hello" E=mc2 x=1`)).toEqual({ text: `Say "hello" E=mc2 x=1` });
  });

  it("reads only options, not positionals, by name inside free text", () => {
    expect(parseArguments(setAssignment, "2 Read text=chapter 1")).toEqual({ session: "2", text: "Read text=chapter 1" });
  });

  it("refuses a free-text option given twice", () => {
    expect(() => parseArguments(announce, "lang=es Hola lang=fr")).toThrowError(/repeated/);
  });

  it("fills the positionals before free text in order, with options among them", () => {
    const text = "Talk to one coworker.\n\"lang=de\" stays text";
    const typed = "Talk to one coworker.\nlang=de stays text";
    expect(parseArguments(setAssignment, `2 lang=es ${text}`)).toEqual({ session: "2", lang: "es", text: typed });
    expect(parseArguments(setAssignment, `lang=es 2 ${text}`)).toEqual({ session: "2", lang: "es", text: typed });
    expect(parseArguments(setAssignment, `2 ${text}`)).toEqual({ session: "2", text: typed });
    expect(parseArguments(setAssignment, "2")).toEqual({ session: "2" });
  });

  it("fills positionals in order and refuses extra words", () => {
    expect(parseArguments(grant, "bob facilitator")).toEqual({ user: "bob", role: "facilitator" });
    expect(() => parseArguments(grant, "bob facilitator now")).toThrowError(/tooMany/);
  });

  it("refuses an unknown name=value option on a command without free text, unless quoted", () => {
    expect(() => parseArguments(grant, "bob size=3")).toThrowError(/unknownOption/);
    expect(() => parseArguments(register, "Group colour=red")).toThrowError(/unknownOption/);
    expect(parseArguments(register, `"E=mc2 Collective"`)).toEqual({ name: "E=mc2 Collective" });
  });
});
