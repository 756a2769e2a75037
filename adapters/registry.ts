// Which chat adapters run: each platform starts only when its variables are set, and its
// library is loaded only then. The console runs when no platform is configured (or on --console).
import path from "node:path";
import type { Config } from "../src/config.ts";
import type { Adapter } from "../src/core/adapter.ts";
import type { Notice } from "../src/core/notice.ts";
import { ConsoleAdapter } from "./console/console-adapter.ts";

export interface AdapterChoice {
  /** Platforms whose variables are set. */
  platforms: string[];
  console: boolean;
}

export function enabledPlatforms(config: Config): string[] {
  const platforms: string[] = [];
  if (config.TELEGRAM_BOT_TOKEN) platforms.push("telegram");
  if (config.SLACK_BOT_TOKEN) platforms.push("slack");
  if (config.DISCORD_TOKEN) platforms.push("discord");
  return platforms;
}

export interface ConsoleChoice {
  /** --console / --no-console; undefined lets the situation decide. */
  requested?: boolean;
  stdinIsTerminal: boolean;
  user?: string;
  channel?: string;
  notices?: Notice[];
}

/**
 * The console opens when asked, or when no platform is configured and stdin is a terminal.
 * With no platform and no terminal (a service manager), the bot still runs and says how to try it.
 */
export function wantsConsole(platforms: string[], choice: ConsoleChoice): boolean {
  if (choice.requested !== undefined) return choice.requested;
  return platforms.length === 0 && choice.stdinIsTerminal;
}

export async function createAdapters(config: Config, choice: ConsoleChoice): Promise<Adapter[]> {
  const platforms = enabledPlatforms(config);
  const adapters: Adapter[] = [];
  if (wantsConsole(platforms, choice)) {
    adapters.push(
      new ConsoleAdapter({
        input: process.stdin,
        output: process.stdout,
        user: choice.user,
        channel: choice.channel,
        prompt: choice.stdinIsTerminal,
        noPlatforms: platforms.length === 0,
        notices: choice.notices,
        exportDirectory: path.resolve(config.DATA_DIR, "exports"),
      }),
    );
  }
  if (platforms.includes("telegram")) {
    const { TelegramAdapter } = await import("./telegram/telegram-adapter.ts");
    const webhook = config.TELEGRAM_WEBHOOK_URL ? { url: config.TELEGRAM_WEBHOOK_URL, secret: config.TELEGRAM_WEBHOOK_SECRET! } : undefined;
    adapters.push(new TelegramAdapter({ token: config.TELEGRAM_BOT_TOKEN!, apiRoot: config.TELEGRAM_API_ROOT, webhook }));
  }
  if (platforms.includes("slack")) {
    const { createSlackAdapter } = await import("./slack/index.ts");
    adapters.push(createSlackAdapter(config));
  }
  if (platforms.includes("discord")) {
    const { DiscordAdapter } = await import("./discord/discord-adapter.ts");
    adapters.push(
      new DiscordAdapter({
        token: config.DISCORD_TOKEN!,
        applicationId: config.DISCORD_APPLICATION_ID!,
        guildId: config.DISCORD_GUILD_ID,
        apiUrl: config.DISCORD_API_URL,
      }),
    );
  }
  return adapters;
}
