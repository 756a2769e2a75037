import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { suggest } from "../../src/core/suggestions.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

describe("suggestions while typing", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot("pglite");
  });
  afterAll(async () => {
    await bot.close();
  });

  it("offers zones by city", async () => {
    expect((await suggest("timezone", "toky", "en", bot.app.services))[0]).toEqual({ label: "Asia/Tokyo", value: "Asia/Tokyo" });
  });

  it("offers languages by name in any of our languages", async () => {
    expect((await suggest("language", "deu", "en", bot.app.services))[0]).toEqual({ label: "Deutsch (de)", value: "de" });
    expect((await suggest("language", "alem", "es", bot.app.services))[0]?.value).toBe("de");
  });

  it("offers countries in the reader's language", async () => {
    expect((await suggest("country", "Alemania", "es", bot.app.services))[0]).toEqual({ label: "Alemania (DE)", value: "DE" });
  });

  it("offers the active program's sessions", async () => {
    expect(await suggest("session", "", "en", bot.app.services)).toEqual([
      { label: "1. First", value: "1" },
      { label: "2. Second", value: "2" },
    ]);
    expect(await suggest("session", "sec", "en", bot.app.services)).toEqual([{ label: "2. Second", value: "2" }]);
  });
});
