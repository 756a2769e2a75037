import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => problem.variable);
  }
}

describe("configuration", () => {
  it("runs with nothing set: embedded database under ./data, port 3000, no platforms", () => {
    const config = loadConfig({});
    expect(config.DATA_DIR).toBe("./data");
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.COORDINATORS).toEqual([]);
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", PORT: " " }).PORT).toBe(3000);
  });

  it("names the variable that is wrong", () => {
    expect(problemsFor({ PORT: "eighty" })).toEqual(["PORT"]);
    expect(problemsFor({ DATABASE_URL: "mysql://x" })).toEqual(["DATABASE_URL"]);
    expect(problemsFor({ COORDINATORS: "alice" })).toEqual(["COORDINATORS"]);
    expect(problemsFor({ LOG_LEVEL: "loud" })).toEqual(["LOG_LEVEL"]);
  });

  it("reads DEFAULT_LOCALE as a language we ship, and refuses another", () => {
    expect(loadConfig({}).DEFAULT_LOCALE).toBe("en");
    expect(loadConfig({ DEFAULT_LOCALE: "de-AT" }).DEFAULT_LOCALE).toBe("de");
    expect(problemsFor({ DEFAULT_LOCALE: "klingon" })).toEqual(["DEFAULT_LOCALE"]);
  });

  it("takes the dashboard's public address as an http(s) URL, without a trailing slash", () => {
    expect(loadConfig({ DASHBOARD_URL: "https://bot.example.org/" }).DASHBOARD_URL).toBe("https://bot.example.org");
    expect(loadConfig({}).DASHBOARD_URL).toBeUndefined();
    expect(problemsFor({ DASHBOARD_URL: "ftp://bot.example.org" })).toEqual(["DASHBOARD_URL"]);
    expect(problemsFor({ DASHBOARD_URL: "bot.example.org" })).toEqual(["DASHBOARD_URL"]);
    // The pages link to /dashboard/…, so a path in front of it would lead nowhere.
    expect(problemsFor({ DASHBOARD_URL: "https://example.org/bot" })).toEqual(["DASHBOARD_URL"]);
  });

  it("reads coordinators as platform:id pairs", () => {
    expect(loadConfig({ COORDINATORS: "console:alice, discord:123" }).COORDINATORS).toEqual([
      { platform: "console", userId: "alice" },
      { platform: "discord", userId: "123" },
    ]);
  });

  it("refuses a half-configured platform, naming what is missing", () => {
    expect(problemsFor({ SLACK_BOT_TOKEN: "xoxb-1" })).toEqual(["SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"]);
    expect(problemsFor({ DISCORD_TOKEN: "abc" })).toEqual(["DISCORD_APPLICATION_ID"]);
    expect(problemsFor({ TELEGRAM_BOT_TOKEN: "1:a", TELEGRAM_WEBHOOK_URL: "https://x.example/tg" })).toEqual(["TELEGRAM_WEBHOOK_SECRET"]);
  });

  it("never puts a secret's value in its message", () => {
    try {
      loadConfig({ TELEGRAM_WEBHOOK_URL: "https://x.example/tg", TELEGRAM_WEBHOOK_SECRET: "bad secret with spaces" });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain("bad secret with spaces");
    }
  });
});
