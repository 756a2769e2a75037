// Every language has every key English has, no key English lacks, and the same placeholders.
import { describe, expect, it } from "vitest";
import { readLocaleFiles, SUPPORTED_LOCALES } from "../../src/i18n/i18n.ts";

const locales = readLocaleFiles();
const english = locales.en!;

function flatten(tree: Record<string, unknown>, prefix = ""): Map<string, string> {
  const result = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object") for (const [inner, text] of flatten(value as Record<string, unknown>, path)) result.set(inner, text);
    else result.set(path, String(value));
  }
  return result;
}

/** Plural forms differ by language (Korean has only _other): compare on the base key. */
function baseKey(key: string): string {
  return key.replace(/_(zero|one|two|few|many|other)$/, "");
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((match) => match[1]!).sort();
}

describe("locales", () => {
  it("ships every supported language", () => {
    expect(Object.keys(locales).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  it("never defines one key in two files", () => {
    for (const [language, { files }] of Object.entries(locales)) {
      const seen = new Map<string, string>();
      for (const [file, content] of Object.entries(files)) {
        for (const key of flatten(content).keys()) {
          expect(seen.get(key), `${language}: "${key}" is in ${seen.get(key)} and ${file}`).toBeUndefined();
          seen.set(key, file);
        }
      }
    }
  });

  it("keeps each file's keys the same as the English file's", () => {
    for (const [language, { files }] of Object.entries(locales)) {
      for (const [file, content] of Object.entries(files)) {
        const ours = new Set([...flatten(english.files[file] ?? {}).keys()].map(baseKey));
        const theirs = [...flatten(content).keys()].map(baseKey);
        expect(theirs.filter((key) => !ours.has(key)), `${language}/${file} keys English has elsewhere or not at all`).toEqual([]);
      }
    }
  });

  for (const language of SUPPORTED_LOCALES.filter((code) => code !== "en")) {
    describe(language, () => {
      it("has the same files as English", () => {
        expect(Object.keys(locales[language]?.files ?? {}).sort()).toEqual(Object.keys(english.files).sort());
      });

      it("has every key English has and none it lacks", () => {
        const theirs = new Set([...flatten(locales[language]?.merged ?? {}).keys()].map(baseKey));
        const ours = new Set([...flatten(english.merged).keys()].map(baseKey));
        expect([...ours].filter((key) => !theirs.has(key)), "missing").toEqual([]);
        expect([...theirs].filter((key) => !ours.has(key)), "extra").toEqual([]);
      });

      it("has no sentence left in English (more than three words the same as the English string)", () => {
        const english = flatten(locales.en!.merged);
        const words = (text: string) => text.replace(/\{\{[^}]*\}\}/g, " ").split(/\s+/).filter((word) => /\p{L}/u.test(word)).length;
        const copies = [...flatten(locales[language]?.merged ?? {})].filter(([key, text]) => english.get(key) === text && words(text) > 3).map(([key]) => key);
        expect(copies).toEqual([]);
      });

      it("keeps every placeholder of each English string", () => {
        const theirs = flatten(locales[language]?.merged ?? {});
        const broken: string[] = [];
        for (const [key, text] of flatten(english.merged)) {
          const candidates = [...theirs].filter(([other]) => baseKey(other) === baseKey(key));
          for (const [otherKey, translation] of candidates) {
            const expected = placeholders(text).filter((name) => name !== "count");
            const actual = placeholders(translation).filter((name) => name !== "count");
            if (JSON.stringify([...new Set(expected)]) !== JSON.stringify([...new Set(actual)])) broken.push(`${otherKey}: ${actual} vs ${expected}`);
          }
        }
        expect(broken).toEqual([]);
      });

      it("has no empty strings", () => {
        const empty = [...flatten(locales[language]?.merged ?? {})].filter(([, text]) => !text.trim()).map(([key]) => key);
        expect(empty).toEqual([]);
      });
    });
  }
});
