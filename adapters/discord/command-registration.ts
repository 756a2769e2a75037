// Publishes the slash-command menu: in one server (DISCORD_GUILD_ID, instant, for development) or
// globally. Idempotent: the registered commands are read back first and the bulk overwrite (PUT)
// only happens when they differ from the declarations, so restarts don't churn Discord's cache.
import { Routes, type APIApplicationCommand, type REST } from "discord.js";
import type { SlashCommand } from "./command-menu.ts";

export interface RegistrationTarget {
  applicationId: string;
  /** A server's id for per-server registration; global when absent. */
  guildId?: string;
}

export type RegistrationOutcome = "unchanged" | "updated";

export async function registerCommands(rest: REST, target: RegistrationTarget, menu: SlashCommand[]): Promise<RegistrationOutcome> {
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  const registered = (await rest.get(route, { query: new URLSearchParams({ with_localizations: "true" }) })) as APIApplicationCommand[];
  if (sameMenu(registered, menu)) return "unchanged";
  await rest.put(route, { body: menu });
  return "updated";
}

/** The fields we declare, in a stable form: Discord adds ids, versions and defaults of its own. */
const COMMAND_FIELDS = ["type", "name", "name_localizations", "description", "description_localizations", "options"];
const OPTION_FIELDS = [
  "type", "name", "name_localizations", "description", "description_localizations", "required", "choices",
  "autocomplete", "min_value", "max_value", "min_length", "max_length", "options",
];

export function sameMenu(registered: readonly unknown[], menu: readonly SlashCommand[]): boolean {
  const canonical = (commands: readonly unknown[]) =>
    JSON.stringify(commands.map((command) => normalize(command, COMMAND_FIELDS)).sort((a, b) => String(a.name).localeCompare(String(b.name))));
  return canonical(registered) === canonical(menu);
}

function normalize(value: unknown, fields: readonly string[]): Record<string, unknown> {
  const source = (value ?? {}) as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const field of fields) {
    const normalized = normalizeValue(source[field], field);
    if (!isEmpty(normalized)) result[field] = normalized;
  }
  return result;
}

function normalizeValue(value: unknown, field: string): unknown {
  if (field === "options" && Array.isArray(value)) return value.map((option) => normalize(option, OPTION_FIELDS));
  if (field === "choices" && Array.isArray(value)) return value.map((choice) => normalize(choice, ["name", "value"]));
  if (field.endsWith("_localizations") && value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
  }
  return value;
}

/** Discord leaves out what is false or empty, and we may spell it out: both mean the same. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}
