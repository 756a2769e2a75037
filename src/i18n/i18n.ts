// Every user-facing string comes from locales/<lng>/*.json through i18next. All files of a
// language merge (deeply) into one namespace, so each feature keeps its strings, including its
// commands' help under "commands", in its own file (translation.json for the core,
// schedule.json, homework.json, ...); a test checks that no two files define the same key.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type i18n as I18nInstance, type TOptions } from "i18next";

export const SUPPORTED_LOCALES = ["en", "es", "pt", "fr", "de", "it", "ko"] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const FALLBACK_LOCALE: Locale = "en";

export const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../locales");

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export function isSupportedLocale(value: string): value is Locale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** "pt-BR" -> "pt", "es_419" -> "es", "EN" -> "en"; undefined when we don't ship the language. */
export function normalizeLocale(value: string | null | undefined): Locale | undefined {
  if (!value) return undefined;
  const base = value.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return isSupportedLocale(base) ? base : undefined;
}

/** The first locale in the chain that we ship: user -> group -> program -> English. */
export function chooseLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    const locale = normalizeLocale(candidate);
    if (locale) return locale;
  }
  return FALLBACK_LOCALE;
}

export type LocaleResources = Record<string, Record<string, unknown>>;

/** Reads locales/<lng>/*.json into one resource tree per language. */
export function readLocaleFiles(directory = LOCALES_DIR): Record<string, { files: Record<string, Record<string, unknown>>; merged: Record<string, unknown> }> {
  const result: Record<string, { files: Record<string, Record<string, unknown>>; merged: Record<string, unknown> }> = {};
  for (const language of readdirSync(directory)) {
    const folder = path.join(directory, language);
    if (!existsSync(folder) || !readdirSync(folder).some((name) => name.endsWith(".json"))) continue;
    const files: Record<string, Record<string, unknown>> = {};
    const merged: Record<string, unknown> = {};
    for (const file of readdirSync(folder).filter((name) => name.endsWith(".json")).sort()) {
      const content = JSON.parse(readFileSync(path.join(folder, file), "utf8")) as Record<string, unknown>;
      files[file] = content;
      deepMerge(merged, content);
    }
    result[language] = { files, merged };
  }
  return result;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(value)) deepMerge(existing, value);
    else target[key] = isPlainObject(value) ? structuredClone(value) : value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface I18n {
  t(locale: Locale, key: string, params?: Record<string, unknown>): string;
  translator(locale: Locale): Translate;
  /** Whether the key exists in English (the reference language). */
  has(key: string): boolean;
}

let shared: Promise<I18n> | undefined;

/** One i18next instance per process; loading is synchronous from disk, so this is cheap. */
export function loadI18n(): Promise<I18n> {
  shared ??= createI18n();
  return shared;
}

async function createI18n(): Promise<I18n> {
  const instance: I18nInstance = i18next.createInstance();
  const files = readLocaleFiles();
  const resources = Object.fromEntries(
    Object.entries(files).map(([language, { merged }]) => [language, { translation: merged }]),
  );
  await instance.init({
    resources,
    lng: FALLBACK_LOCALE,
    fallbackLng: FALLBACK_LOCALE,
    supportedLngs: [...SUPPORTED_LOCALES],
    interpolation: { escapeValue: false }, // adapters escape for their own markup
    returnNull: false,
    initAsync: false,
  });
  const fixed = new Map<Locale, Translate>();
  return {
    t: (locale, key, params) => instance.getFixedT(locale)(key, params as TOptions) as string,
    translator(locale) {
      let translate = fixed.get(locale);
      if (!translate) {
        const tFixed = instance.getFixedT(locale);
        translate = (key, params) => tFixed(key, params as TOptions) as string;
        fixed.set(locale, translate);
      }
      return translate;
    },
    has: (key) => instance.exists(key, { lng: FALLBACK_LOCALE, fallbackLng: false } as TOptions),
  };
}
