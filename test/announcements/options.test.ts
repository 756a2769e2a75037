// The /announce options as typed: countries by code or name in any of our languages, group
// name lists, send times in a zone (daylight-saving gaps refused), platform names.
import { describe, expect, it } from "vitest";
import { parseCountries, parseLanguages, parsePlatforms, parseSendAt, splitGroupNames } from "../../src/announcements/options.ts";
import { UserError } from "../../src/core/errors.ts";
import { countryKey, requireCountry } from "../../src/i18n/countries.ts";

function errorKey(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof UserError) return error.key;
    throw error;
  }
  return undefined;
}

describe("countries", () => {
  it("resolve codes and names in every language we ship to the same code", () => {
    for (const typed of ["DE", "de", " Germany ", "Deutschland", "Alemania", "Allemagne", "Germania", "Alemanha", "독일"]) {
      expect(countryKey(typed), typed).toBe("DE");
    }
    expect(countryKey("Côte d’Ivoire")).toBe("CI");
    expect(countryKey("cote d'ivoire")).toBe("CI");
  });

  it("know the everyday names Intl doesn't give, in our languages", () => {
    for (const [typed, code] of [["Korea", "KR"], ["South Korea", "KR"], ["corée du sud", "KR"], ["한국", "KR"], ["USA", "US"], ["EE. UU.", "US"], ["UK", "GB"], ["England", "GB"], ["Deutschland", "DE"], ["TÜRKEI", "TR"]]) {
      expect(countryKey(typed!), typed).toBe(code);
    }
  });

  it("keep a stored name of no country as folded text, so a group's own words still compare", () => {
    expect(countryKey("Kurdistan")).toBe("kurdistan");
  });

  it("read a list of codes and names, and refuse one they can't place with up to three close names in the reader's language", () => {
    expect(parseCountries("DE, Österreich;Korea", "en")).toEqual(["DE", "AT", "KR"]);
    expect(parseCountries("all", "en")).toEqual([]);
    expect(errorKey(() => parseCountries("DE, Atlantis", "en"))).toBe("errors.country.unknown");
    try {
      requireCountry("Frankreih", "de");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ key: "errors.country.unknownSuggest", params: { input: "Frankreih", suggestions: "Frankreich (FR)" } });
    }
    try {
      requireCountry("Germny", "es");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ params: { suggestions: "Alemania (DE)" } });
    }
  });
});

describe("group names", () => {
  const known = new Set(["tenants, kreuzberg", "nurses united", "berlin tenants"]);
  const isGroup = (name: string) => known.has(name.toLowerCase());

  it("split at semicolons, keeping commas inside a name", () => {
    expect(splitGroupNames("Tenants, Kreuzberg;Nurses United", isGroup)).toEqual(["Tenants, Kreuzberg", "Nurses United"]);
  });

  it("read commas as separators when the whole piece names no group but its parts do", () => {
    expect(splitGroupNames("Berlin Tenants,Nurses United", isGroup)).toEqual(["Berlin Tenants", "Nurses United"]);
    expect(splitGroupNames("Berlin Tenants, Nobody", isGroup)).toEqual(["Berlin Tenants", "Nobody"]);
    expect(splitGroupNames("Nobody, Else", isGroup)).toEqual(["Nobody, Else"]);
  });
});

describe("send times", () => {
  const now = new Date("2030-05-01T10:00:00Z");

  it("read a wall-clock time in the given zone", () => {
    expect(parseSendAt("2030-05-03 09:00", "Europe/Berlin", now)).toEqual(new Date("2030-05-03T07:00:00Z"));
    expect(parseSendAt("2030-05-03T9:05", "Asia/Seoul", now)).toEqual(new Date("2030-05-03T00:05:00Z"));
    expect(parseSendAt(" now ", "Europe/Berlin", now)).toBeNull();
  });

  it("refuse the past, a time the clocks skip, and what is not a time", () => {
    expect(errorKey(() => parseSendAt("2030-05-01 11:59", "Europe/Berlin", now))).toBe("announce.atPast");
    expect(errorKey(() => parseSendAt("2031-03-30 02:30", "Europe/Berlin", now))).toBe("announce.atNonexistent");
    for (const typed of ["tomorrow 9:00", "2030-05-03", "2030-13-01 10:00", "2030-02-30 10:00", "2030-05-03 24:00"]) {
      expect(errorKey(() => parseSendAt(typed, "Europe/Berlin", now)), typed).toBe("announce.atUnreadable");
    }
  });
});

describe("lists", () => {
  it("read languages by code or name and platforms by name", () => {
    expect(parseLanguages("de, Français es")).toEqual(["de", "fr", "es"]);
    expect(parsePlatforms("Telegram,slack")).toEqual(["telegram", "slack"]);
    expect(errorKey(() => parsePlatforms("tele-gram"))).toBe("announce.badPlatform");
    expect(errorKey(() => parseLanguages("klingon"))).toMatch(/^errors\.language\./);
  });
});
