// Every declared command, subcommand and argument has its help text in English (the other
// languages are held to English by test/i18n/locales.test.ts), and declarations are well-formed.
import { describe, expect, it } from "vitest";
import { commands } from "../commands/index.ts";
import { commandKey, flattenCommands } from "../src/core/command.ts";
import { loadI18n } from "../src/i18n/i18n.ts";

describe("command declarations", () => {
  const flat = flattenCommands(commands);

  it("have lower-case names, unique paths, and at most one positional rest argument, last", () => {
    const paths = flat.map(({ path }) => path.join(" "));
    expect(new Set(paths).size).toBe(paths.length);
    for (const { path, definition } of flat) {
      for (const part of path) expect(part).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
      const positionals = Object.values(definition.args).filter((spec) => spec.positional);
      const rests = positionals.filter((spec) => spec.rest);
      expect(rests.length, path.join(" ")).toBeLessThanOrEqual(1);
      if (rests.length === 1) expect(positionals.at(-1), path.join(" ")).toBe(rests[0]);
    }
  });

  it("each have a description and argument descriptions in English", async () => {
    const i18n = await loadI18n();
    const missing: string[] = [];
    for (const { path, definition } of flat) {
      const key = commandKey(path[0]!, path[1]);
      if (!i18n.has(`${key}.description`)) missing.push(`${key}.description`);
      for (const name of Object.keys(definition.args)) if (!i18n.has(`${key}.args.${name}`)) missing.push(`${key}.args.${name}`);
    }
    expect(missing).toEqual([]);
  });
});
