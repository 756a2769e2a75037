// The slash-command menu derived from the declarations: complete, typed, localized in every
// language we ship, and acceptable to Discord's validation (the fake's copy of it).
import { ApplicationCommandOptionType } from "discord.js";
import { beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../../commands/index.ts";
import { arg, positional } from "../../../src/core/args.ts";
import { defineCommand, defineGroup, flattenCommands } from "../../../src/core/command.ts";
import { loadI18n, readLocaleFiles, SUPPORTED_LOCALES, type I18n } from "../../../src/i18n/i18n.ts";
import { buildCommandMenu, DISCORD_LOCALES, optionName, safeName, type SlashCommand } from "../../../adapters/discord/command-menu.ts";
import { sameMenu } from "../../../adapters/discord/command-registration.ts";
import { validateCommandList } from "../../fakes/discord/validation.ts";

const discordLocales = SUPPORTED_LOCALES.flatMap((locale) => DISCORD_LOCALES[locale]);
type AnyOption = NonNullable<SlashCommand["options"]>[number] & { options?: AnyOption[] };

let i18n: I18n;
let menu: SlashCommand[];
beforeAll(async () => {
  i18n = await loadI18n();
  menu = buildCommandMenu(commands, i18n);
});

function find(name: string): SlashCommand {
  const command = menu.find((candidate) => candidate.name === name);
  if (!command) throw new Error(`no /${name} in the menu`);
  return command;
}

function option(options: AnyOption[] | undefined, name: string): AnyOption {
  const found = options?.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no option ${name}`);
  return found;
}

describe("Discord command menu", () => {
  it("passes Discord's validation of a bulk overwrite", () => {
    expect(() => validateCommandList(menu)).not.toThrow();
  });

  it("has every declared command, with groups' subcommands (defaults included) as subcommands", () => {
    const paths = menu.flatMap((command) => {
      const subs = (command.options as AnyOption[] | undefined)?.filter((o) => o.type === ApplicationCommandOptionType.Subcommand) ?? [];
      return subs.length > 0 ? subs.map((sub) => `${command.name} ${sub.name}`) : [command.name];
    });
    expect(paths.sort()).toEqual(flattenCommands(commands).map(({ path }) => path.join(" ")).sort());

    const withDefault = buildCommandMenu(
      [defineGroup({ name: "homework", defaultSubcommand: "show", subcommands: [defineCommand({ name: "show", role: "anyone", args: {}, run: async () => "" })] })],
      i18n,
    );
    expect((withDefault[0]!.options as AnyOption[]).map((o) => [o.type, o.name])).toEqual([[ApplicationCommandOptionType.Subcommand, "show"]]);
  });

  it("names and describes every command, subcommand and option in every shipped language", () => {
    const check = (item: { name: string; name_localizations?: unknown; description: string; description_localizations?: unknown }) => {
      expect(Object.keys(item.name_localizations ?? {}).sort(), item.name).toEqual([...discordLocales].sort());
      expect(Object.keys(item.description_localizations ?? {}).sort(), item.name).toEqual([...discordLocales].sort());
    };
    const walk = (options: AnyOption[] | undefined) => {
      for (const child of options ?? []) {
        check(child as never);
        walk(child.options);
      }
    };
    for (const command of menu) {
      check(command);
      walk(command.options as AnyOption[]);
    }
    const register = find("register");
    expect(register.name_localizations).toMatchObject({ de: "registrieren", "es-ES": "registrar", "es-419": "registrar", "pt-BR": "registrar", ko: "등록" });
    expect(register.description_localizations?.fr).toMatch(/groupe/);
    expect(option(register.options as AnyOption[], "organization").name_localizations).toMatchObject({ de: "organisation", "pt-BR": "organização" });
  });

  it("types the options: text limits, integers with bounds, choices and autocomplete", () => {
    const register = find("register").options as AnyOption[];
    expect(register.map((o) => o.name)).toEqual(["name", "organization", "country", "language", "timezone"]);
    expect(option(register, "name")).toMatchObject({ type: ApplicationCommandOptionType.String, required: true, min_length: 2, max_length: 80 });
    expect(option(register, "timezone")).toMatchObject({ type: ApplicationCommandOptionType.String, required: false, autocomplete: true });
    expect(option(register, "country")).toMatchObject({ autocomplete: true });
    expect(option(register, "language")).toMatchObject({ autocomplete: true });

    const move = option(find("session").options as AnyOption[], "move");
    expect(option(move.options, "session")).toMatchObject({ type: ApplicationCommandOptionType.Integer, required: true, min_value: 1, max_value: 100, autocomplete: true });

    const role = option(find("grant").options as AnyOption[], "role");
    expect(role).toMatchObject({ type: ApplicationCommandOptionType.String, choices: [{ name: "facilitator", value: "facilitator" }, { name: "coordinator", value: "coordinator" }] });
    expect(role).not.toHaveProperty("autocomplete");
  });

  it("puts required options first and offers an upload field to commands that take attachments", () => {
    const submit = defineCommand({
      name: "submit",
      role: "member",
      acceptsAttachments: true,
      args: { note: arg.text({ max: 500 }), dueDate: positional(arg.text({ required: true })) },
      run: async () => "",
    });
    const [built] = buildCommandMenu([submit], i18n);
    expect(() => validateCommandList([built])).not.toThrow();
    const options = built!.options as AnyOption[];
    expect(options.map((o) => [o.name, o.type, o.required])).toEqual([
      ["due_date", ApplicationCommandOptionType.String, true],
      ["note", ApplicationCommandOptionType.String, false],
      ["file", ApplicationCommandOptionType.Attachment, false],
    ]);
    expect(options[2]!.name_localizations).toMatchObject({ de: "datei", "pt-BR": "arquivo" });
    expect(options[2]!.description_localizations?.ko).toBe("함께 보낼 파일이에요");
  });

  it("keeps the English command names file identical to the declared names", () => {
    const english = readLocaleFiles().en!.files["discord.json"] as { discord: { commandNames: Record<string, Record<string, unknown>> } };
    for (const { path, definition } of flattenCommands(commands)) {
      let node: Record<string, unknown> | undefined = english.discord.commandNames[path[0]!];
      expect(node?.name, path[0]).toBe(path[0]);
      if (path[1]) node = node?.[path[1]] as Record<string, unknown> | undefined;
      expect(node?.name, path.join(" ")).toBe(definition.name);
      for (const argument of Object.keys(definition.args)) {
        expect((node?.options as Record<string, string> | undefined)?.[argument], `${path.join(" ")} ${argument}`).toBe(optionName(argument));
      }
    }
  });
});

describe("localized names that fit Discord's rules", () => {
  it("derives a safe lower-case name, or none when nothing usable is left", () => {
    expect(safeName("Wer bin ich?", "de")).toBe("wer-bin-ich");
    expect(safeName("Zona Horaria", "es-ES")).toBe("zona-horaria");
    expect(safeName("?!", "fr")).toBeUndefined();
    expect(safeName("a".repeat(40), "it")).toHaveLength(32);
    expect(safeName("  시간대 ", "ko")).toBe("시간대");
  });

  it("keeps English names for a language where two translations would coincide", () => {
    // A translator who gives /register's options one and the same German name.
    const clashing: I18n = {
      ...i18n,
      t: (locale, key, params) => (locale === "de" && key.includes(".options.") ? "angabe" : i18n.t(locale, key, params)),
    };
    const register = buildCommandMenu(commands, clashing).find((command) => command.name === "register")!;
    expect(() => validateCommandList([register])).not.toThrow();
    const options = register.options as AnyOption[];
    expect(options.map((o) => o.name_localizations?.de)).toEqual(["name", "organization", "country", "language", "timezone"]);
    expect(options.map((o) => o.name_localizations?.fr)).toEqual(["nom", "organisation", "pays", "langue", "fuseau-horaire"]);
  });
});

describe("registration comparison", () => {
  it("sees no change when Discord returns the menu with its own ids, defaults and key order", () => {
    const registered = structuredClone(menu).map((command, index) => ({
      ...command,
      id: String(1000 + index),
      version: "1",
      default_member_permissions: null,
      dm_permission: true,
      name_localizations: Object.fromEntries(Object.entries(command.name_localizations ?? {}).reverse()),
    }));
    expect(sameMenu(registered.reverse(), menu)).toBe(true);
  });

  it("sees a change in a description, a translation, an option or a removed command", () => {
    const changed = (edit: (copy: SlashCommand[]) => void) => {
      const copy = structuredClone(menu);
      edit(copy);
      return !sameMenu(copy, menu);
    };
    expect(changed((copy) => (copy[0]!.description = "something else"))).toBe(true);
    expect(changed((copy) => (copy[1]!.name_localizations!.de = "anders"))).toBe(true);
    expect(changed((copy) => ((copy.find((c) => c.name === "register")!.options![4] as { autocomplete?: boolean }).autocomplete = false))).toBe(true);
    expect(changed((copy) => copy.pop())).toBe(true);
  });
});
