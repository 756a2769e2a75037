// The real bot (test/adapters/harness.ts) with the real Discord adapter, whose discord.js client
// talks to the local Discord fake. Helpers read what a user would see.
import type { CommandEntry } from "../../../src/core/command.ts";
import { DiscordAdapter } from "../../../adapters/discord/discord-adapter.ts";
import type { DiscordFake, InteractionHandle, StoredMessage } from "../../fakes/discord/index.ts";
import { startAdapterBot, type AdapterBot } from "../harness.ts";

export type DiscordBot = AdapterBot<DiscordAdapter>;

export interface DiscordBotOptions {
  /** Per-server registration in this guild; undefined registers globally. */
  guildId?: string;
  commands?: readonly CommandEntry[];
  deferAfterMs?: number;
  coordinators?: string;
}

/** The bot with a Discord adapter connected to `fake`; the test owns the fake and closes it after the bot. */
export function startDiscordBot(fake: DiscordFake, options: DiscordBotOptions = {}): Promise<DiscordBot> {
  return startAdapterBot({
    coordinators: options.coordinators,
    commands: options.commands,
    adapter: () =>
      new DiscordAdapter({
        token: fake.token,
        applicationId: fake.applicationId,
        guildId: options.guildId,
        apiUrl: fake.apiBase,
        deferAfterMs: options.deferAfterMs,
      }),
  });
}

/** The messages a user sees once an interaction is answered: the response, then any follow-ups. */
export async function answerOf(fake: DiscordFake, handle: InteractionHandle, followUps = 0): Promise<StoredMessage[]> {
  await handle.waitForCallback();
  return fake.waitFor(
    () => {
      const original = handle.originalMessage();
      // A deferred response shows "thinking…" (LOADING) until it is edited or replaced.
      if (original && !original.deleted && original.flags & 128) return undefined;
      const visible = [original, ...handle.followUps()].filter((message): message is StoredMessage => !!message && !message.deleted);
      return visible.length >= 1 + followUps ? visible : undefined;
    },
    5000,
    `the answer to interaction ${handle.id}`,
  );
}

/** The text of a single-message answer. */
export async function replyText(fake: DiscordFake, handle: InteractionHandle): Promise<string> {
  const [message] = await answerOf(fake, handle);
  return message!.content;
}

export const EPHEMERAL = 64;
