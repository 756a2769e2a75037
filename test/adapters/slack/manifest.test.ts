// slack-manifest.yml creates the app in one paste: it must parse, name the slash command the bot
// answers, subscribe to exactly the events it handles with the scopes those need, and be what
// `npm run slack:manifest` prints (so nobody edits it by hand and lets it drift).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BOT_EVENTS, BOT_SCOPES, slackManifest } from "../../../adapters/slack/manifest.ts";
import { loadConfig } from "../../../src/config.ts";
import { loadI18n, SUPPORTED_LOCALES } from "../../../src/i18n/i18n.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const committed = readFileSync(path.join(ROOT, "slack-manifest.yml"), "utf8");

interface Manifest {
  display_information: { name: string; description: string };
  features: { bot_user: { display_name: string }; slash_commands: { command: string; description: string; usage_hint: string; should_escape: boolean; url?: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[]; request_url?: string }; socket_mode_enabled: boolean };
}

/** The scope each event needs (https://docs.slack.dev/reference/events). */
const EVENT_SCOPES: Record<string, string[]> = {
  app_mention: ["app_mentions:read"],
  channel_left: ["channels:read"],
  group_left: ["groups:read"],
  member_left_channel: ["channels:read", "groups:read"],
  channel_archive: ["channels:read"],
  group_archive: ["groups:read"],
  channel_deleted: ["channels:read"],
  group_deleted: ["groups:read"],
  member_joined_channel: ["channels:read", "groups:read"],
};

describe("slack-manifest.yml", () => {
  const manifest = parse(committed) as Manifest;

  it("is what the generator prints for the default configuration", async () => {
    expect(manifest).toEqual(slackManifest(await loadI18n(), { command: "/o4p", locale: "en", mode: { kind: "socket" } }));
    const printed = execFileSync(process.execPath, ["--import", "tsx", "adapters/slack/manifest-cli.ts"], { cwd: ROOT, env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" });
    expect(printed).toBe(committed);
  });

  it("declares the one slash command the bot answers by default, escaping mentions into ids", () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(manifest.features.slash_commands[0]).toMatchObject({ command: loadConfig({}).SLACK_COMMAND, should_escape: true });
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it("subscribes to exactly the events the adapter handles, with the scopes they need", () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
    expect(Object.keys(EVENT_SCOPES).sort()).toEqual([...BOT_EVENTS].sort());
    for (const event of BOT_EVENTS) {
      expect(EVENT_SCOPES[event]!.some((scope) => manifest.oauth_config.scopes.bot.includes(scope)), event).toBe(true);
    }
    // The end-to-end tests run with exactly these scopes, so the Web API calls are covered too.
    expect(manifest.oauth_config.scopes.bot).toEqual(Object.keys(BOT_SCOPES));
  });

  it("points Slack at /slack/events for HTTP mode", async () => {
    const http = slackManifest(await loadI18n(), { command: "/train", locale: "en", mode: { kind: "http", publicUrl: "https://bot.example.org/" } }) as unknown as Manifest;
    expect(http.features.slash_commands[0]).toMatchObject({ command: "/train", url: "https://bot.example.org/slack/events" });
    expect(http.settings.event_subscriptions.request_url).toBe("https://bot.example.org/slack/events");
    expect(http.settings.socket_mode_enabled).toBe(false);
  });

  it("stays within Slack's limits in every language", async () => {
    const i18n = await loadI18n();
    for (const locale of SUPPORTED_LOCALES) {
      const localized = slackManifest(i18n, { command: "/o4p", locale, mode: { kind: "socket" } }) as unknown as Manifest;
      expect([...localized.display_information.name].length, locale).toBeLessThanOrEqual(35);
      expect([...localized.display_information.description].length, locale).toBeLessThanOrEqual(140);
      expect([...localized.features.slash_commands[0]!.usage_hint].length, locale).toBeLessThanOrEqual(1000);
      expect(localized.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    }
  });
});
