// Body validation mirroring what Discord rejects with 400 / 50035 "Invalid Form Body".
// Sources: Application Commands (naming, option structure), Channel "Create Message",
// Message "Allowed Mentions", Embed limits, Reference "Locales".

import { ApiError, Errors, FormErrors } from "./errors.ts";
import type { Json } from "./types.ts";

/** Locales accepted in *_localizations maps (Discord Reference > Locales). */
export const DISCORD_LOCALES: ReadonlySet<string> = new Set([
  "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no",
  "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th",
  "zh-CN", "ja", "zh-TW", "ko",
]);

/**
 * CHAT_INPUT command and option names. Current docs also allow the apostrophe:
 * ^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$ (unicode flag), lowercase where a lowercase variant exists.
 */
export const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

export const CommandType = { CHAT_INPUT: 1, USER: 2, MESSAGE: 3, PRIMARY_ENTRY_POINT: 4 } as const;
export const OptionType = {
  SUB_COMMAND: 1, SUB_COMMAND_GROUP: 2, STRING: 3, INTEGER: 4, BOOLEAN: 5, USER: 6, CHANNEL: 7,
  ROLE: 8, MENTIONABLE: 9, NUMBER: 10, ATTACHMENT: 11,
} as const;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const len = (s: string) => [...s].length;

function checkChatInputName(errors: FormErrors, path: (string | number)[], name: unknown): void {
  if (typeof name !== "string") {
    errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
    errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
  }
}

function checkLength(errors: FormErrors, path: (string | number)[], value: unknown, min: number, max: number): void {
  if (typeof value !== "string") {
    errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  const n = len(value);
  if (n < min || n > max) errors.add(path, "BASE_TYPE_BAD_LENGTH", `Must be between ${min} and ${max} in length.`);
}

function checkLocalizations(
  errors: FormErrors,
  path: (string | number)[],
  map: unknown,
  checkValue: (p: (string | number)[], v: unknown) => void,
): void {
  if (map === undefined || map === null) return;
  if (!isObject(map)) {
    errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
    return;
  }
  for (const [locale, value] of Object.entries(map)) {
    if (!DISCORD_LOCALES.has(locale)) {
      errors.add([...path, locale], "ENUM_TYPE_COERCE", `Value "${locale}" is not a valid enum value.`);
      continue;
    }
    if (value !== null) checkValue([...path, locale], value);
  }
}

/** Counts name + description + choice names/values towards the 4000 combined-characters limit. */
function combinedLength(cmd: Json): number {
  let total = len(String(cmd.name ?? "")) + len(String(cmd.description ?? ""));
  const walk = (options: unknown) => {
    if (!Array.isArray(options)) return;
    for (const o of options) {
      if (!isObject(o)) continue;
      total += len(String(o.name ?? "")) + len(String(o.description ?? ""));
      if (Array.isArray(o.choices)) {
        for (const c of o.choices) if (isObject(c)) total += len(String(c.name ?? "")) + len(String(c.value ?? ""));
      }
      walk(o.options);
    }
  };
  walk(cmd.options);
  return total;
}

function validateOptions(errors: FormErrors, path: (string | number)[], options: unknown, depth: number): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  if (options.length > 25) errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  const names = new Set<string>();
  let seenOptional = false;
  let subcommands = 0;
  let plain = 0;
  options.forEach((option: unknown, i) => {
    const p = [...path, i];
    if (!isObject(option)) {
      errors.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    const type = option.type;
    if (typeof type !== "number" || !Number.isInteger(type) || type < 1 || type > 11) {
      errors.add([...p, "type"], "BASE_TYPE_CHOICES", `Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.`);
      return;
    }
    checkChatInputName(errors, [...p, "name"], option.name);
    checkLength(errors, [...p, "description"], option.description, 1, 100);
    checkLocalizations(errors, [...p, "name_localizations"], option.name_localizations, (lp, v) =>
      checkChatInputName(errors, lp, v),
    );
    checkLocalizations(errors, [...p, "description_localizations"], option.description_localizations, (lp, v) =>
      checkLength(errors, lp, v, 1, 100),
    );
    if (typeof option.name === "string") {
      if (names.has(option.name)) {
        errors.add([...p, "name"], "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Option name already exists");
      }
      names.add(option.name);
    }
    const isSub = type === OptionType.SUB_COMMAND || type === OptionType.SUB_COMMAND_GROUP;
    if (isSub) {
      subcommands++;
      // Groups live at the top level only; subcommands at top level or inside a group.
      if (type === OptionType.SUB_COMMAND_GROUP && depth > 0) {
        errors.add([...p, "type"], "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-command groups must be top level");
      }
      if (type === OptionType.SUB_COMMAND && depth > 1) {
        errors.add([...p, "type"], "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-commands cannot be nested that deep");
      }
      if (type === OptionType.SUB_COMMAND_GROUP && Array.isArray(option.options)) {
        option.options.forEach((child: unknown, j) => {
          if (isObject(child) && child.type !== OptionType.SUB_COMMAND) {
            errors.add([...p, "options", j, "type"], "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-command groups may only contain sub-commands");
          }
        });
      }
      validateOptions(errors, [...p, "options"], option.options, depth + 1);
      return;
    }
    plain++;
    if (option.options !== undefined) {
      errors.add([...p, "options"], "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Only sub-commands may have options");
    }
    if (option.required === true) {
      if (seenOptional) {
        errors.add([...p, "required"], "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options");
      }
    } else {
      seenOptional = true;
    }
    if (option.choices !== undefined && option.choices !== null) {
      if (![OptionType.STRING, OptionType.INTEGER, OptionType.NUMBER].includes(type as 3 | 4 | 10)) {
        errors.add([...p, "choices"], "APPLICATION_COMMAND_OPTION_CHOICES_INVALID", "Choices are only allowed for STRING, INTEGER and NUMBER options");
      } else if (!Array.isArray(option.choices)) {
        errors.add([...p, "choices"], "BASE_TYPE_ARRAY", "Must be an array.");
      } else {
        if (option.choices.length > 25) errors.add([...p, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        option.choices.forEach((choice: unknown, j) => {
          if (!isObject(choice)) return;
          checkLength(errors, [...p, "choices", j, "name"], choice.name, 1, 100);
          if (type === OptionType.STRING) checkLength(errors, [...p, "choices", j, "value"], choice.value, 1, 100);
          else if (typeof choice.value !== "number") errors.add([...p, "choices", j, "value"], "NUMBER_TYPE_COERCE", "Value is not a number.");
        });
      }
      if (option.autocomplete === true) {
        errors.add([...p, "autocomplete"], "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES", "Autocomplete cannot be set if choices are present");
      }
    }
    for (const key of ["min_length", "max_length"] as const) {
      const v = option[key];
      if (v !== undefined && (typeof v !== "number" || v < 0 || v > 6000)) {
        errors.add([...p, key], "NUMBER_TYPE_MAX", "int value should be between 0 and 6000.");
      }
    }
  });
  if (subcommands > 0 && plain > 0) {
    errors.add(path, "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Sub-commands and sub-command groups cannot be mixed with other option types");
  }
}

/** Validates one application command body; errors are recorded under `path`. */
export function validateCommand(errors: FormErrors, path: (string | number)[], cmd: unknown): void {
  if (!isObject(cmd)) {
    errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    return;
  }
  const type = cmd.type ?? CommandType.CHAT_INPUT;
  if (![1, 2, 3, 4].includes(type as number)) {
    errors.add([...path, "type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.");
    return;
  }
  if (type === CommandType.CHAT_INPUT || type === CommandType.PRIMARY_ENTRY_POINT) {
    checkChatInputName(errors, [...path, "name"], cmd.name);
    checkLength(errors, [...path, "description"], cmd.description, 1, 100);
    checkLocalizations(errors, [...path, "name_localizations"], cmd.name_localizations, (p, v) => checkChatInputName(errors, p, v));
    checkLocalizations(errors, [...path, "description_localizations"], cmd.description_localizations, (p, v) => checkLength(errors, p, v, 1, 100));
    if (type === CommandType.CHAT_INPUT) validateOptions(errors, [...path, "options"], cmd.options, 0);
    if (combinedLength(cmd) > 4000) {
      errors.add(path, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)");
    }
  } else {
    // USER and MESSAGE commands: mixed case and spaces allowed, description must be empty.
    checkLength(errors, [...path, "name"], cmd.name, 1, 32);
    if (cmd.description !== undefined && cmd.description !== "") {
      errors.add([...path, "description"], "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Context menu commands cannot have description");
    }
    checkLocalizations(errors, [...path, "name_localizations"], cmd.name_localizations, (p, v) => checkLength(errors, p, v, 1, 32));
    if (cmd.options !== undefined && cmd.options !== null && !(Array.isArray(cmd.options) && cmd.options.length === 0)) {
      errors.add([...path, "options"], "APPLICATION_COMMAND_OPTIONS_INVALID", "Context menu commands cannot have options");
    }
  }
}

/** Bulk overwrite body: an array of commands with unique (type, name) pairs and per-type limits. */
export function validateCommandList(body: unknown): void {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], "BASE_TYPE_ARRAY", "Must be an array.");
    throw errors.toApiError();
  }
  const seen = new Set<string>();
  const perType = new Map<number, number>();
  body.forEach((cmd: unknown, i) => {
    validateCommand(errors, [i], cmd);
    if (isObject(cmd)) {
      const type = Number(cmd.type ?? 1);
      const key = `${type}:${String(cmd.name)}`;
      if (seen.has(key)) errors.add([i, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique");
      seen.add(key);
      perType.set(type, (perType.get(type) ?? 0) + 1);
    }
  });
  errors.throwIfAny();
  // 100 CHAT_INPUT, 15 USER and 15 MESSAGE commands per scope.
  if ((perType.get(1) ?? 0) > 100 || (perType.get(2) ?? 0) > 15 || (perType.get(3) ?? 0) > 15) {
    throw Errors.maxCommands();
  }
}

const CHANNEL_MESSAGE_FLAGS = 4 | 4096 | 8192 | 32768; // SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2
const INTERACTION_MESSAGE_FLAGS = 4 | 64 | 4096 | 32768; // + EPHEMERAL

export interface MessageValidation {
  /** "create" requires some content; "edit" validates only the fields present. */
  mode: "create" | "edit";
  target: "channel" | "interaction";
  hasFiles: boolean;
}

function validateEmbeds(errors: FormErrors, embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    errors.add(["embeds"], "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  if (embeds.length > 10) errors.add(["embeds"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
  let total = 0;
  const limit = (p: (string | number)[], v: unknown, max: number) => {
    if (v === undefined || v === null) return;
    const s = String(v);
    total += len(s);
    if (len(s) > max) errors.add(p, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
  };
  embeds.forEach((embed: unknown, i) => {
    if (!isObject(embed)) return;
    limit(["embeds", i, "title"], embed.title, 256);
    limit(["embeds", i, "description"], embed.description, 4096);
    if (isObject(embed.footer)) limit(["embeds", i, "footer", "text"], embed.footer.text, 2048);
    if (isObject(embed.author)) limit(["embeds", i, "author", "name"], embed.author.name, 256);
    if (Array.isArray(embed.fields)) {
      if (embed.fields.length > 25) errors.add(["embeds", i, "fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
      embed.fields.forEach((field: unknown, j) => {
        if (!isObject(field)) return;
        if (field.name === undefined || field.value === undefined) {
          errors.add(["embeds", i, "fields", j], "BASE_TYPE_REQUIRED", "This field is required");
        }
        limit(["embeds", i, "fields", j, "name"], field.name, 256);
        limit(["embeds", i, "fields", j, "value"], field.value, 1024);
      });
    }
  });
  if (total > 6000) errors.add(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
}

function validateAllowedMentions(errors: FormErrors, am: unknown): void {
  if (am === undefined || am === null) return;
  if (!isObject(am)) {
    errors.add(["allowed_mentions"], "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    return;
  }
  const parse = am.parse;
  if (parse !== undefined) {
    if (!Array.isArray(parse)) errors.add(["allowed_mentions", "parse"], "BASE_TYPE_ARRAY", "Must be an array.");
    else
      parse.forEach((v: unknown, i) => {
        if (v !== "users" && v !== "roles" && v !== "everyone") {
          errors.add(["allowed_mentions", "parse", i], "BASE_TYPE_CHOICES", "Value must be one of ('roles', 'users', 'everyone').");
        }
      });
  }
  for (const kind of ["users", "roles"] as const) {
    const ids = am[kind];
    if (ids === undefined) continue;
    if (!Array.isArray(ids)) {
      errors.add(["allowed_mentions", kind], "BASE_TYPE_ARRAY", "Must be an array.");
      continue;
    }
    if (ids.length > 100) errors.add(["allowed_mentions", kind], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
    if (Array.isArray(parse) && parse.includes(kind) && ids.length > 0) {
      errors.add(["allowed_mentions"], "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", `parse:["${kind}"] and ${kind}: [ids] are mutually exclusive.`);
    }
  }
}

/** Validates a message body (channel message, interaction response data, webhook message). */
export function validateMessageBody(body: Json, opts: MessageValidation): void {
  const errors = new FormErrors();
  if (body.content !== undefined && body.content !== null) {
    if (typeof body.content !== "string") errors.add(["content"], "STRING_TYPE_CONVERT", "Could not interpret value as string.");
    else if (len(body.content) > 2000) errors.add(["content"], "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
  }
  validateEmbeds(errors, body.embeds);
  validateAllowedMentions(errors, body.allowed_mentions);
  if (body.components !== undefined && body.components !== null) {
    if (!Array.isArray(body.components)) errors.add(["components"], "BASE_TYPE_ARRAY", "Must be an array.");
  }
  if (body.nonce !== undefined && body.nonce !== null) {
    const n = body.nonce;
    const ok = (typeof n === "string" && len(n) <= 25) || (typeof n === "number" && Number.isInteger(n));
    if (!ok) errors.add(["nonce"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  }
  if (body.flags !== undefined && body.flags !== null) {
    const allowed = opts.target === "interaction" ? INTERACTION_MESSAGE_FLAGS : CHANNEL_MESSAGE_FLAGS;
    if (typeof body.flags !== "number" || (body.flags & ~allowed) !== 0) {
      errors.add(["flags"], "MESSAGE_FLAGS_INVALID", "Invalid flags");
    }
  }
  errors.throwIfAny();
  if (opts.mode === "create") {
    const hasContent = typeof body.content === "string" && body.content.length > 0;
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
    const hasPoll = isObject(body.poll);
    if (!hasContent && !hasEmbeds && !hasComponents && !hasStickers && !hasPoll && !opts.hasFiles) {
      throw Errors.emptyMessage();
    }
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
