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

  it("reads options only before free text, and keeps the text's own spacing and line breaks", () => {
    const text = "Remember: https://zoom.us/j/1?pwd=abc\n  lang=es is not an option here";
    expect(parseArguments(announce, `lang=es ${text}`)).toEqual({ lang: "es", text });
  });

  it("fills the positionals before free text in order, with options among them", () => {
    const text = "Talk to one coworker.\nlang=de stays text";
    expect(parseArguments(setAssignment, `2 lang=es ${text}`)).toEqual({ session: "2", lang: "es", text });
    expect(parseArguments(setAssignment, `lang=es 2 ${text}`)).toEqual({ session: "2", lang: "es", text });
    expect(parseArguments(setAssignment, `2 ${text}`)).toEqual({ session: "2", text });
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
