import { describe, expect, it } from "vitest";
import { resolveLanguage } from "../../src/i18n/languages.ts";
import { resolveTimezone } from "../../src/time/zones.ts";

describe("resolveTimezone", () => {
  it.each([
    ["Asia/Tokyo", "Asia/Tokyo"],
    ["asia/tokyo", "Asia/Tokyo"],
    ["Tokyo", "Asia/Tokyo"],
    ["São Paulo", "America/Sao_Paulo"],
    ["new york", "America/New_York"],
    ["Munich", "Europe/Berlin"],
    ["Kathmandu", "Asia/Kathmandu"],
    ["Asia/Calcutta", "Asia/Kolkata"],
    ["UTC", "UTC"],
  ])("%s is %s", (input, zone) => {
    expect(resolveTimezone(input)).toEqual({ ok: true, zone });
  });

  it("suggests the closest zones for a typo", () => {
    const lookup = resolveTimezone("Europe/Berlinn");
    expect(lookup.ok).toBe(false);
    expect(lookup.ok === false && lookup.suggestions[0]).toBe("Europe/Berlin");
    const city = resolveTimezone("Tokio");
    expect(city.ok === false && city.suggestions).toContain("Asia/Tokyo");
  });

  it("offers nothing for nonsense", () => {
    expect(resolveTimezone("Mars/Olympus_Mons")).toEqual({ ok: false, suggestions: [] });
  });
});

describe("resolveLanguage", () => {
  it.each([
    ["de", "de"],
    ["pt-BR", "pt"],
    ["Deutsch", "de"],
    ["german", "de"],
    ["Español", "es"],
    ["espanol", "es"],
    ["한국어", "ko"],
    ["coreano", "ko"],
  ])("%s is %s", (input, locale) => {
    expect(resolveLanguage(input)).toEqual({ ok: true, locale });
  });

  it("suggests for a typo and refuses a language we don't ship", () => {
    expect(resolveLanguage("Franch")).toEqual({ ok: false, suggestions: ["fr"] });
    expect(resolveLanguage("ja").ok).toBe(false);
  });
});
