// `npm start` with the Discord variables set: the adapter is chosen from the configuration,
// connects, publishes its commands, answers a slash command, reports itself in /healthz, and a
// SIGTERM ends the process cleanly (nothing left open).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDiscordFake, type DiscordFake } from "../../fakes/discord/index.ts";
import { startBotProcess } from "../../helpers/bot-process.ts";
import { seedDataDir } from "../../helpers/data-dir.ts";

describe("the bot started with DISCORD_TOKEN", () => {
  let fake: DiscordFake;
  const dataDir = mkdtempSync(path.join(tmpdir(), "bot-discord-"));
  beforeAll(() => seedDataDir(dataDir));
  beforeAll(async () => {
    fake = await startDiscordFake({ heartbeatIntervalMs: 1000 });
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("connects, answers in the user's language and shuts down cleanly", async () => {
    const bot = startBotProcess(
      {
        DATA_DIR: dataDir,
        DISCORD_TOKEN: fake.token,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_GUILD_ID: fake.defaultGuildId,
        DISCORD_API_URL: fake.apiBase,
      },
      ["--no-console"],
    );
    try {
      await bot.waitForLog((entry) => entry.msg === "bot ready");
      expect(fake.commands(fake.defaultGuildId).map((command) => command.name)).toContain("register");

      const handle = fake.interact({ commandName: "next", locale: "pt-BR" });
      const callback = await handle.waitForCallback(10_000);
      expect(callback.data?.content).toMatch(/^\*\*Próxima: sessão 1/);

      const { port } = (await bot.waitForLog((entry) => entry.msg === "http server listening")) as { port: number };
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { adapters: Record<string, boolean> };
      expect(health.adapters).toEqual({ discord: true });

      expect(await bot.stop("SIGTERM")).toBe(0);
      await fake.waitFor(() => fake.gatewayConnectionCount() === 0, 5000, "the gateway connection closed");
      expect(bot.logs().some((entry) => entry.msg === "bot stopped")).toBe(true);
    } finally {
      await bot.stop("SIGKILL");
    }
  });
});
