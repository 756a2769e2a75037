// The Discord adapter: a discord.js client on the gateway with the Guilds intent only, answering
// slash commands and autocomplete, publishing the command menu, and posting the outbox's messages
// to channels. See README.md ("Discord") for setting up the application.
import { once } from "node:events";
import { createHash } from "node:crypto";
import {
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  Options,
  Routes,
  Status,
  type APIMessage,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type GatewayGuildDeleteDispatchData,
  type Interaction,
} from "discord.js";
import { DeliveryError, type Adapter, type BotHost, type PlatformLimits, type SendOptions, type SendResult } from "../../src/core/adapter.ts";
import type { OutgoingMessage } from "../../src/core/messages.ts";
import { SendBudget } from "../../src/core/send-budget.ts";
import { chooseLocale } from "../../src/i18n/i18n.ts";
import type { Logger } from "../../src/logger.ts";
import { InFlight } from "../kit/in-flight.ts";
import { localNotice } from "../kit/notices.ts";
import { PartProgress } from "../kit/part-progress.ts";
import { buttonRows, commandFromPress } from "./check-in-button.ts";
import { buildCommandMenu } from "./command-menu.ts";
import { registerCommands } from "./command-registration.ts";
import { isExpiredInteraction, isOutboxSend, toDeliveryError } from "./errors.ts";
import { PLATFORM, readAutocomplete, readCommand } from "./inbound.ts";
import { InteractionReply } from "./interaction-reply.ts";
import { allowedMentionTypes, renderMessage } from "./render.ts";

const DISCORD_LIMITS: PlatformLimits = {
  global: { messages: 50, perMs: 1_000 },
  perChannel: { messages: 5, perMs: 5_000 },
};

export interface DiscordAdapterOptions {
  token: string;
  applicationId: string;
  /** Register the commands in this server only (instant, for development) instead of globally. */
  guildId?: string;
  /** REST base without the version (discord.js adds /v10); a REST proxy or the tests' fake can stand in. */
  apiUrl?: string;
  /** A reply not ready after this long is deferred (Discord allows 3 s for the first response). */
  deferAfterMs?: number;
  /** How long start() waits for the gateway to be ready. */
  readyTimeoutMs?: number;
  /** How long stop() lets interactions being answered finish. */
  stopTimeoutMs?: number;
}

/** Discord's limit for a message's nonce. */
const NONCE_LENGTH = 25;

/** A stable nonce per message part: a retried send is recognised by Discord and not posted twice. */
export function messageNonce(idempotencyKey: string, part: number): string {
  return createHash("sha256").update(`${idempotencyKey}#${part}`).digest("base64url").slice(0, NONCE_LENGTH);
}

export class DiscordAdapter implements Adapter {
  readonly platform = PLATFORM;
  /** Discord's published limits: 5 messages per 5 s in a channel, 50 requests per second overall. */
  readonly budget = new SendBudget(DISCORD_LIMITS);
  private client: Client | undefined;
  private host: BotHost | undefined;
  private logger: Logger | undefined;
  private accepting = false;
  private readonly inFlight = new InFlight();
  /** How far a long outbox message got, so a retry after a failed part goes on from there. */
  private readonly progress = new PartProgress();

  constructor(private readonly options: DiscordAdapterOptions) {}

  async start(host: BotHost): Promise<void> {
    this.host = host;
    this.budget.runOn(host.clock);
    const logger = host.logger.child({ platform: PLATFORM });
    this.logger = logger;
    const client = new Client({
      // Slash commands and autocomplete arrive whatever the intents; Guilds brings the servers and
      // channels (and their removal) that the bot needs to notice. No privileged intent is needed.
      intents: [GatewayIntentBits.Guilds],
      rest: {
        api: (this.options.apiUrl ?? "https://discord.com/api").replace(/\/+$/, ""),
        // The dispatcher, not discord.js, waits out rate limits on the outbox's sends.
        rejectOnRateLimit: (limit) => isOutboxSend(limit),
      },
      allowedMentions: { parse: [] },
      // The bot never reads messages; don't keep them.
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    });
    this.client = client;
    this.listen(client, host, logger);
    try {
      await this.connect(client);
      if (client.application?.id !== this.options.applicationId) {
        throw new Error(`DISCORD_APPLICATION_ID ${this.options.applicationId} is not this bot's application (${client.application?.id})`);
      }
      const scope = this.options.guildId ? `server ${this.options.guildId}` : "all servers (global)";
      const outcome = await registerCommands(
        client.rest,
        { applicationId: this.options.applicationId, guildId: this.options.guildId },
        buildCommandMenu(host.commands, host.i18n),
      ).catch((error: unknown) => {
        throw new Error(
          `could not publish the slash commands in ${scope}: ${(error as Error).message}` +
            (this.options.guildId ? " (is the bot in DISCORD_GUILD_ID's server, invited with the applications.commands scope?)" : ""),
          { cause: error },
        );
      });
      logger.info({ outcome, scope, guilds: client.guilds.cache.size }, "discord ready; slash commands published");
      this.accepting = true;
    } catch (error) {
      await client.destroy();
      this.client = undefined;
      throw error;
    }
  }

  /** Logs in and waits for the gateway's READY (and the servers it announces). */
  private async connect(client: Client): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    const ready = once(client, Events.ClientReady, { signal: abort.signal });
    ready.catch(() => {}); // awaited below, unless the login fails first
    try {
      await client.login(this.options.token);
      await ready.catch((error: unknown) => {
        throw abort.signal.aborted ? new Error(`the Discord gateway was not ready after ${timeoutMs / 1000} s`) : error;
      });
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    // New interactions are left alone; the ones being answered may finish (their replies need the
    // client), but a stuck one must not hold up the shutdown.
    this.accepting = false;
    const unanswered = await this.inFlight.settle(this.host!.clock, this.options.stopTimeoutMs ?? 10_000);
    if (unanswered > 0) this.logger?.warn({ unanswered }, "stopped with interactions still being answered");
    await client.destroy();
    this.client = undefined;
  }

  isConnected(): boolean {
    const client = this.client;
    return client !== undefined && client.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready);
  }

  async send(channelId: string, message: OutgoingMessage, options: SendOptions): Promise<SendResult> {
    const client = this.client;
    if (!client) throw new DeliveryError("transient", "the Discord adapter is not running");
    const chunks = renderMessage(message);
    if (chunks.length === 0 && !message.file) {
      this.logger?.warn({ channelId }, "nothing to send: the message is empty");
      return {};
    }
    let firstId: string | undefined;
    const parts = chunks.length > 0 ? chunks : [undefined];
    for (let part = this.progress.start(options.idempotencyKey); part < parts.length; part++) {
      const content = parts[part];
      const file = part === 0 ? message.file : undefined;
      // Buttons go under the last part, the one people read last.
      const components = part === parts.length - 1 ? buttonRows(message) : [];
      try {
        const sent = (await client.rest.post(Routes.channelMessages(channelId), {
          body: {
            ...(content ? { content } : {}),
            allowed_mentions: { parse: allowedMentionTypes(message) },
            nonce: messageNonce(options.idempotencyKey, part),
            enforce_nonce: true,
            ...(components.length > 0 ? { components } : {}),
          },
          ...(file ? { files: [{ name: file.fileName, data: file.data, contentType: file.contentType }] } : {}),
        })) as APIMessage;
        firstId ??= sent.id;
      } catch (error) {
        throw toDeliveryError(error);
      }
      this.progress.record(options.idempotencyKey, part + 1);
    }
    this.progress.finish(options.idempotencyKey);
    return firstId ? { platformMessageId: firstId } : {};
  }

  private listen(client: Client, host: BotHost, logger: Logger): void {
    client.on(Events.InteractionCreate, (interaction: Interaction) => {
      if (!this.accepting) return;
      if (interaction.isChatInputCommand()) this.track(this.answer(interaction, host), interaction);
      else if (interaction.isAutocomplete()) this.track(this.autocomplete(interaction, host), interaction);
      else if (interaction.isButton()) this.track(this.pressed(interaction, host), interaction);
    });
    // discord.js empties a guild's channel list before it emits guildDelete, so read it from the
    // raw event, which comes first. `unavailable` means an outage, not a removal.
    client.ws.on(GatewayDispatchEvents.GuildDelete, (data: GatewayGuildDeleteDispatchData) => {
      if (data.unavailable) return;
      const channels = [...(client.guilds.cache.get(data.id)?.channels.cache.keys() ?? [])];
      this.markUnreachable(host, channels, "the bot was removed from the server");
    });
    client.on(Events.ChannelDelete, (channel) => this.markUnreachable(host, [channel.id], "the channel was deleted"));
    client.on(Events.ThreadDelete, (thread) => this.markUnreachable(host, [thread.id], "the thread was deleted"));
    client.on(Events.ShardDisconnect, (event, shard) => logger.error({ code: event.code, shard }, "discord gateway closed for good"));
    client.on(Events.ShardReconnecting, (shard) => logger.warn({ shard }, "discord gateway reconnecting"));
    client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, "discord gateway resumed"));
    client.on(Events.ShardError, (error, shard) => logger.warn({ err: error, shard }, "discord gateway error"));
    client.on(Events.Warn, (warning) => logger.warn({ warning }, "discord.js warning"));
    client.on(Events.Error, (error) => logger.error({ err: error }, "discord.js error"));
  }

  private async answer(interaction: ChatInputCommandInteraction, host: BotHost): Promise<void> {
    const read = readCommand(interaction, host.commands);
    if ("invalid" in read) {
      this.logger?.warn({ issues: read.invalid.issues, command: interaction.commandName }, "unreadable slash command");
      await new InteractionReply(interaction, true).deliver([localNotice(host, interaction.locale, "errors.input.invalid", {}, { private: true })]);
      return;
    }
    const reply = new InteractionReply(interaction, read.definition?.privateReply ?? false);
    if (read.definition?.slow) reply.defer();
    else reply.deferAfter(this.options.deferAfterMs ?? 2_000);
    try {
      await reply.deliver(await host.handle(read.command));
    } finally {
      reply.cancel();
    }
  }

  /** A button under one of our messages (check-in-button.ts): its command, answered to the presser alone. */
  private async pressed(interaction: ButtonInteraction, host: BotHost): Promise<void> {
    const command = commandFromPress(interaction);
    if (!command) return;
    const reply = new InteractionReply(interaction, true);
    reply.deferAfter(this.options.deferAfterMs ?? 2_000);
    try {
      await reply.deliver((await host.handle(command)).map((message) => ({ ...message, private: true })));
    } finally {
      reply.cancel();
    }
  }

  private async autocomplete(interaction: AutocompleteInteraction, host: BotHost): Promise<void> {
    const typing = readAutocomplete(interaction, host.commands);
    const suggestions = typing ? await host.suggest(typing.source, typing.query, chooseLocale(interaction.locale)) : [];
    const choices = suggestions.flatMap(({ label, value }) => {
      const choiceValue = typing?.integer ? Number(value) : value.slice(0, 100);
      if (typeof choiceValue === "number" && !Number.isSafeInteger(choiceValue)) return [];
      return [{ name: Array.from(label).slice(0, 100).join(""), value: choiceValue }];
    });
    await interaction.respond(choices.slice(0, 25));
  }

  private track(work: Promise<void>, interaction: Interaction): void {
    void this.inFlight.track(work, (error: unknown) => {
      const context = { err: error, interaction: interaction.id, channel: interaction.channelId };
      // Too late (a slow gateway, or a reply after 15 minutes): the user saw "did not respond".
      if (isExpiredInteraction(error)) this.logger?.warn(context, "interaction expired before it was answered");
      else this.logger?.error(context, "answering an interaction failed");
    });
  }

  private markUnreachable(host: BotHost, channelIds: string[], reason: string): void {
    for (const channelId of channelIds) {
      host.channelUnreachable(PLATFORM, channelId, reason).catch((error: unknown) => this.logger?.error({ err: error, channelId }, "could not mark a channel unreachable"));
    }
  }
}
