// The real program with Slack configured, as `npm start` runs it: Bolt in HTTP mode on the bot's
// own port, the Web API pointed at the local fake. A signed slash command is answered, /healthz
// reports Slack, and SIGTERM stops everything (no handle left open: the process exits).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBotProcess } from "../helpers/bot-process.ts";
import { sendSlashCommand, startSlackFake, type SlackFake } from "../fakes/slack/index.ts";
import { seedDataDir } from "../helpers/data-dir.ts";

describe("the bot on Slack", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-slack-"));
  beforeAll(() => seedDataDir(dataDir));
  const signingSecret = "e2e-signing-secret";
  let fake: SlackFake;
  beforeAll(async () => {
    fake = await startSlackFake({ users: [{ id: "U0ADA0001", name: "ada", locale: "de-DE" }], channels: [{ id: "C0BERLIN1", name: "berlin" }] });
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers a signed slash command, reports its health, and exits cleanly on SIGTERM", async () => {
    const bot = startBotProcess(
      { DATA_DIR: dataDir, SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_MODE: "http", SLACK_API_URL: fake.apiUrl },
      [],
    );
    try {
      await bot.waitForLog((entry) => entry.msg === "bot ready");
      const port = (bot.logs().find((entry) => entry.msg === "http server listening") as { port: number }).port;
      expect(bot.logs().find((entry) => entry.msg === "slack connected")).toMatchObject({ mode: "http", command: "/o4p", bot: "U0FAKEBOT" });

      const target = { url: `http://127.0.0.1:${port}/slack/events`, signingSecret, workspace: fake };
      const sent = await sendSlashCommand(target, { command: "/o4p", text: "register Berliner Mieter", user_id: "U0ADA0001", channel_id: "C0BERLIN1" });
      expect(sent.status).toBe(200);
      const reply = await fake.waitFor((f) => f.responses.find((response) => response.url === sent.payload.response_url), 10_000);
      expect(reply).toMatchObject({ visibility: "in_channel" });
      expect(reply.text).toMatch(/Willkommen! Die Gruppe „Berliner Mieter“/);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toMatchObject({ status: "ok", adapters: { slack: true } });
      expect(bot.output()).not.toMatch(/Console chat/);
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 60_000);

  it("refuses to start with a token Slack doesn't accept, saying which", async () => {
    const bot = startBotProcess(
      { DATA_DIR: path.join(dataDir, "refused"), SLACK_BOT_TOKEN: "xoxb-wrong", SLACK_SIGNING_SECRET: signingSecret, SLACK_MODE: "http", SLACK_API_URL: fake.apiUrl },
      [],
    );
    expect(await bot.exited).toBe(1);
    expect(bot.errors()).toMatch(/Start-up failed: Slack refused SLACK_BOT_TOKEN \(invalid_auth\)/);
  }, 60_000);
});
