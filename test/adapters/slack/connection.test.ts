// How the Slack configuration is read: Socket Mode unless SLACK_MODE=http, the tokens checked
// for their kind before anything connects, and the adapter started only when configured.
import { describe, expect, it } from "vitest";
import { createAdapters, enabledPlatforms } from "../../../adapters/registry.ts";
import { EVENTS_PATH, slackSettings } from "../../../adapters/slack/connection.ts";
import { ConfigError, loadConfig } from "../../../src/config.ts";

const BOT = "xoxb-1111-2222-abcdefabcdef";
const APP = "xapp-1-A0001-3333-abcdef";

function problems(env: Record<string, string>): { variable: string; message: string }[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe("Slack configuration", () => {
  it("uses Socket Mode with the app-level token unless told otherwise", () => {
    const settings = slackSettings(loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: "s", SLACK_APP_TOKEN: APP }));
    expect(settings).toEqual({
      botToken: BOT,
      signingSecret: "s",
      mode: { kind: "socket", appToken: APP },
      apiUrl: "https://slack.com/api/",
      slashCommand: "/o4p",
    });
  });

  it("serves /slack/events on the bot's own server with SLACK_MODE=http, and needs no app token then", () => {
    const settings = slackSettings(
      loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: "s", SLACK_MODE: "http", SLACK_API_URL: "https://slack-gov.com/api", SLACK_COMMAND: "/train" }),
    );
    expect(settings.mode).toEqual({ kind: "http", path: EVENTS_PATH });
    expect(EVENTS_PATH).toBe("/slack/events");
    expect(settings.apiUrl).toBe("https://slack-gov.com/api/");
    expect(settings.slashCommand).toBe("/train");
  });

  it("names what is missing or of the wrong kind, without repeating a secret", () => {
    expect(problems({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: "s" }).map((problem) => problem.variable)).toEqual(["SLACK_APP_TOKEN"]);
    expect(problems({ SLACK_BOT_TOKEN: BOT, SLACK_MODE: "http" }).map((problem) => problem.variable)).toEqual(["SLACK_SIGNING_SECRET"]);
    const wrongKinds = problems({ SLACK_BOT_TOKEN: "xoxp-user-token-secret", SLACK_SIGNING_SECRET: "s", SLACK_APP_TOKEN: "xoxb-not-an-app-token-secret" });
    expect(wrongKinds.map((problem) => problem.variable)).toEqual(["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"]);
    expect(wrongKinds[0]!.message).toMatch(/xoxb-/);
    expect(JSON.stringify(wrongKinds)).not.toMatch(/secret/);
    expect(problems({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: "s", SLACK_MODE: "websocket" }).map((problem) => problem.variable)).toEqual(["SLACK_MODE"]);
    expect(problems({ SLACK_COMMAND: "o4p" }).map((problem) => problem.variable)).toEqual(["SLACK_COMMAND"]);
  });

  it("starts the Slack adapter only when its token is set", async () => {
    expect(enabledPlatforms(loadConfig({}))).toEqual([]);
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: "s", SLACK_APP_TOKEN: APP });
    expect(enabledPlatforms(config)).toEqual(["slack"]);
    const adapters = await createAdapters(config, { stdinIsTerminal: false });
    expect(adapters.map((adapter) => adapter.platform)).toEqual(["slack"]);
    expect(adapters[0]!.budget.limits).toEqual({ perChannel: { messages: 1, perMs: 1_000 } });
    expect(adapters[0]!.isConnected()).toBe(false);
  });
});
