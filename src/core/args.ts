// Argument declarations. One declaration is the single source for parsing typed text
// ("/register Tenants of Kreuzberg country=DE"), validating with zod, the help/usage text and
// each platform's command menu (Discord options with types, choices and autocomplete).
import { z } from "zod";
import { fitsCharacters } from "../text/characters.ts";

export type ArgType = "string" | "integer";
/** Values a platform can offer as the user types (Discord autocomplete). */
export type AutocompleteSource = "timezone" | "language" | "session" | "country";

export interface ArgSpec<T = unknown> {
  type: ArgType;
  /** Filled from words in order rather than as name=value. */
  positional: boolean;
  /** Takes the rest of the text (last positional only). */
  rest: boolean;
  required: boolean;
  /** Other names accepted as name=value (e.g. "lang" for "language"). */
  aliases: readonly string[];
  choices?: readonly string[];
  autocomplete?: AutocompleteSource;
  min?: number;
  max?: number;
  /** Validates and converts the raw value; issue messages are i18n keys (see pipeline). */
  schema: z.ZodType<T>;
}

export type ArgSpecs = Record<string, ArgSpec>;
export type ArgValues<S extends ArgSpecs> = { [K in keyof S]: S[K] extends ArgSpec<infer T> ? T : never };

/**
 * Control characters and bidirectional embeddings, overrides and isolates: invisible, and able to
 * reorder the text around them on other people's screens. The direction marks (U+200E, U+200F,
 * U+061C) are welcome: Arabic and Hebrew writers use them to place punctuation and numbers.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
const LINE_BREAKS = /[\r\n\t]/;

interface TextOptions {
  required?: boolean;
  max?: number;
  min?: number;
  aliases?: string[];
  autocomplete?: AutocompleteSource;
  /** Allow line breaks and tabs (homework, announcements). */
  multiline?: boolean;
}

function textSchema(options: TextOptions) {
  let schema = z
    .string()
    .trim()
    .min(options.min ?? 1, { message: "errors.args.tooShort" })
    .refine((value) => fitsCharacters(value, options.max ?? 200), { message: "errors.args.tooLong" })
    .refine((value) => !CONTROL.test(value), { message: "errors.args.controlCharacters" });
  if (!options.multiline) schema = schema.refine((value) => !LINE_BREAKS.test(value), { message: "errors.args.lineBreaks" });
  return schema;
}

function spec<T>(base: Omit<ArgSpec<T>, "schema" | "aliases" | "positional" | "rest" | "required"> & Partial<ArgSpec<T>>, schema: z.ZodType<T>): ArgSpec<T> {
  return { positional: false, rest: false, required: false, aliases: [], ...base, schema };
}

export const arg = {
  /** A free text value. */
  text<R extends boolean = false>(options: TextOptions & { required?: R } = {}) {
    const schema = textSchema(options);
    return spec<R extends true ? string : string | undefined>(
      { type: "string", required: options.required ?? false, aliases: options.aliases ?? [], autocomplete: options.autocomplete, max: options.max ?? 200, min: options.min },
      (options.required ? schema : schema.optional()) as unknown as z.ZodType<R extends true ? string : string | undefined>,
    );
  },
  /** A whole number. */
  integer<R extends boolean = false>(options: { required?: R; min?: number; max?: number; aliases?: string[]; autocomplete?: AutocompleteSource } = {}) {
    const schema = z.coerce
      .number({ message: "errors.args.notANumber" })
      .int({ message: "errors.args.notANumber" })
      .min(options.min ?? Number.MIN_SAFE_INTEGER, { message: "errors.args.tooSmall" })
      .max(options.max ?? Number.MAX_SAFE_INTEGER, { message: "errors.args.tooBig" });
    return spec<R extends true ? number : number | undefined>(
      { type: "integer", required: options.required ?? false, aliases: options.aliases ?? [], min: options.min, max: options.max, autocomplete: options.autocomplete },
      (options.required ? schema : schema.optional()) as unknown as z.ZodType<R extends true ? number : number | undefined>,
    );
  },
  /** One of a fixed set of words. */
  choice<const C extends readonly [string, ...string[]], R extends boolean = false>(choices: C, options: { required?: R; aliases?: string[] } = {}) {
    const schema = z.preprocess(
      (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
      z.enum(choices, { message: "errors.args.notAChoice" }),
    );
    return spec<R extends true ? C[number] : C[number] | undefined>(
      { type: "string", required: options.required ?? false, aliases: options.aliases ?? [], choices },
      (options.required ? schema : schema.optional()) as unknown as z.ZodType<R extends true ? C[number] : C[number] | undefined>,
    );
  },
};

/** Marks an argument as filled from words in order; `rest` takes all remaining text. */
export function positional<T>(argument: ArgSpec<T>, options: { rest?: boolean } = {}): ArgSpec<T> {
  return { ...argument, positional: true, rest: options.rest ?? false };
}
