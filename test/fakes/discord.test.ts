// Drives the real discord.js Client against the local Discord fake (REST v10 + Gateway v10).

import { once } from "node:events";
import zlib from "node:zlib";
import {
  ApplicationCommandOptionType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type TextChannel,
} from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Routes, startDiscordFake, type DiscordFake, type DiscordFakeOptions } from "./discord/index.ts";

const clients: Client[] = [];

/** Logs a real discord.js client into the fake and waits for clientReady (guilds received). */
async function connect(fake: DiscordFake, intents: GatewayIntentBits[] = [GatewayIntentBits.Guilds]): Promise<Client<true>> {
  const client = new Client({ intents, rest: { api: fake.apiBase } });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return client as Client<true>;
}

/** Next interactionCreate of the given kind. */
function nextInteraction<T extends Interaction>(client: Client, guard: (i: Interaction) => i is T): Promise<T> {
  return new Promise((resolve) => {
    const listener = (i: Interaction) => {
      if (!guard(i)) return;
      client.off(Events.InteractionCreate, listener);
      resolve(i);
    };
    client.on(Events.InteractionCreate, listener);
  });
}
const isChatInput = (i: Interaction): i is ChatInputCommandInteraction => i.isChatInputCommand();
const isAutocomplete = (i: Interaction): i is AutocompleteInteraction => i.isAutocomplete();

async function destroyClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
}

async function withFake<T>(opts: DiscordFakeOptions, fn: (fake: DiscordFake) => Promise<T>): Promise<T> {
  const fake = await startDiscordFake(opts);
  try {
    return await fn(fake);
  } finally {
    await destroyClients();
    await fake.close();
  }
}

describe("Discord fake with the real discord.js Client", () => {
  let fake: DiscordFake;
  let client: Client<true>;

  beforeAll(async () => {
    fake = await startDiscordFake({ heartbeatIntervalMs: 1000 });
    client = await connect(fake);
  });

  afterAll(async () => {
    await destroyClients();
    await fake.close();
  });

  afterEach(() => fake.resetRateLimits());

  it("becomes ready, sees the guild and its channel, and identified with the requested intents", () => {
    const guild = client.guilds.cache.get(fake.defaultGuildId);
    expect(guild?.name).toBe("Fake Guild");
    expect(guild?.channels.cache.get(fake.defaultChannelId)?.name).toBe("general");
    expect(guild?.members.me?.id).toBe(fake.botUserId);
    expect(client.user.id).toBe(fake.botUserId);
    expect(client.application.id).toBe(fake.applicationId);

    const [identify] = fake.identifies();
    expect(identify?.intents).toBe(GatewayIntentBits.Guilds);
    // discord.js only asks for zlib-stream when the optional zlib-sync package is installed.
    expect(identify?.query).toEqual({ v: "10", encoding: "json", compress: null });
    expect(identify?.shard).toEqual([0, 1]);
    expect(fake.requestCount(Routes.gatewayBot)).toBeGreaterThanOrEqual(1);
  });

  it("records commands.set() with localizations and rejects invalid commands with 50035", async () => {
    const options = [
      { type: ApplicationCommandOptionType.String as const, name: "week", description: "Week", required: true, autocomplete: true },
      { type: ApplicationCommandOptionType.Boolean as const, name: "public", description: "Post publicly" },
    ];
    const set = await client.application.commands.set([
      {
        name: "schedule",
        description: "Show the training schedule",
        nameLocalizations: { de: "zeitplan", "es-ES": "horario" },
        descriptionLocalizations: { de: "Zeigt den Zeitplan" },
        options,
      },
    ]);
    expect(set.size).toBe(1);
    const [stored] = fake.commands();
    expect(stored?.name).toBe("schedule");
    expect(stored?.name_localizations).toEqual({ de: "zeitplan", "es-ES": "horario" });
    expect(set.first()?.id).toBe(stored?.id);

    // Re-putting the same name keeps the command id (bulk overwrite semantics).
    await client.application.commands.set([{ name: "schedule", description: "Show the schedule", options }]);
    expect(fake.commands()[0]?.id).toBe(stored?.id);
    expect(fake.commands()[0]?.description).toBe("Show the schedule");

    const invalid = [
      { name: "Schedule", description: "uppercase name" },
      { name: "ok", description: "" },
      { name: "ok", description: "bad locale", nameLocalizations: { "xx-YY": "nope" } },
      {
        name: "ok",
        description: "required after optional",
        options: [
          { type: ApplicationCommandOptionType.String, name: "a", description: "a" },
          { type: ApplicationCommandOptionType.String, name: "b", description: "b", required: true },
        ],
      },
    ];
    for (const cmd of invalid) {
      const error = await client.application.commands.set([cmd as never]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DiscordAPIError);
      expect((error as DiscordAPIError).code).toBe(50035);
      expect((error as DiscordAPIError).status).toBe(400);
    }
    // Rejected overwrites leave the stored commands untouched.
    expect(fake.commands().map((c) => c.name)).toEqual(["schedule"]);

    // Guild scope is stored separately.
    await client.application.commands.set(
      [
        {
          name: "breakout",
          description: "Breakout rooms",
          options: [
            {
              type: ApplicationCommandOptionType.Subcommand,
              name: "open",
              description: "Open rooms",
              options: [{ type: ApplicationCommandOptionType.Integer, name: "rooms", description: "How many", required: true }],
            },
          ],
        },
      ],
      fake.defaultGuildId,
    );
    expect(fake.commands(fake.defaultGuildId).map((c) => c.name)).toEqual(["breakout"]);
  });

  it("delivers a slash command and records reply({ ephemeral }) with flags 64", async () => {
    const received = nextInteraction(client, isChatInput);
    const handle = fake.interact({
      commandName: "schedule",
      options: { week: "3" },
      locale: "de",
      user: { id: "222222222222222222", username: "ana", globalName: "Ana" },
    });
    const interaction = await received;
    expect(interaction.commandName).toBe("schedule");
    expect(interaction.options.getString("week")).toBe("3");
    expect(interaction.locale).toBe("de");
    expect(interaction.guildId).toBe(fake.defaultGuildId);
    expect(interaction.channelId).toBe(fake.defaultChannelId);
    expect(interaction.user.id).toBe("222222222222222222");
    expect(interaction.member?.user.username).toBe("ana");

    await interaction.reply({ content: "Week 3: listening", flags: MessageFlags.Ephemeral });
    const callback = await handle.waitForCallback();
    expect(callback.type).toBe(4);
    expect(callback.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(callback.data?.content).toBe("Week 3: listening");
    expect(handle.originalMessage()?.flags).toBe(64);

    // A second initial response is refused by Discord with 40060.
    const again = await client.rest
      .post(`/interactions/${handle.id}/${handle.token}/callback`, { body: { type: 4, data: { content: "again" } }, auth: false })
      .catch((e: unknown) => e);
    expect((again as DiscordAPIError).code).toBe(40060);
    expect(handle.record.rejectedCallbacks.map((r) => r.code)).toEqual([40060]);
  });

  it("builds subcommand payloads from the registered guild command", async () => {
    const received = nextInteraction(client, isChatInput);
    const handle = fake.interact({ commandName: "breakout", subcommand: "open", options: { rooms: 3 } });
    const interaction = await received;
    expect(interaction.commandGuildId).toBe(fake.defaultGuildId);
    expect(interaction.options.getSubcommand()).toBe("open");
    expect(interaction.options.getInteger("rooms")).toBe(3);
    expect(handle.payload.data).toMatchObject({
      name: "breakout",
      type: 1,
      guild_id: fake.defaultGuildId,
      options: [{ name: "open", type: 1, options: [{ name: "rooms", type: 4, value: 3 }] }],
    });
    await interaction.reply("3 rooms open");
    await handle.waitForCallback();
  });

  it("records deferReply + editReply + followUp", async () => {
    const received = nextInteraction(client, isChatInput);
    const handle = fake.interact({ commandName: "schedule", options: { week: "1" } });
    const interaction = await received;
    await interaction.deferReply();
    expect((await handle.waitForCallback()).type).toBe(5);
    expect(handle.originalMessage()?.flags).toBe(128); // LOADING

    const edited = await interaction.editReply("Here is week 1");
    expect(edited.content).toBe("Here is week 1");
    const edit = await handle.waitForEdit(1);
    expect(edit.body.content).toBe("Here is week 1");
    expect(handle.originalMessage()?.content).toBe("Here is week 1");
    expect(handle.originalMessage()?.flags).toBe(0);

    await interaction.followUp({ content: "Anything else?", flags: MessageFlags.Ephemeral });
    const followUp = await handle.waitForFollowUp(1);
    expect(followUp.content).toBe("Anything else?");
    expect(followUp.flags).toBe(64);
  });

  it("answers autocomplete interactions with type 8 choices", async () => {
    const received = nextInteraction(client, isAutocomplete);
    const handle = fake.autocomplete({ commandName: "schedule", options: { week: "1" }, focused: "week" });
    const interaction = await received;
    expect(interaction.options.getFocused()).toBe("1");
    await interaction.respond([{ name: "Week 1", value: "1" }, { name: "Week 10", value: "10" }]);
    const callback = await handle.waitForCallback();
    expect(callback.type).toBe(8);
    expect(callback.data?.choices).toHaveLength(2);
  });

  it("delivers a button press as a MESSAGE_COMPONENT interaction carrying its message", async () => {
    const channel = client.channels.cache.get(fake.defaultChannelId) as TextChannel;
    const posted = await channel.send({ content: "Session starts", components: [{ type: 1, components: [{ type: 2, style: 1, label: "I'm here", custom_id: "here:1" }] }] });
    expect(() => fake.pressButton({ messageId: posted.id, customId: "other" })).toThrow(/has no button/);
    const received = nextInteraction(client, (i: Interaction): i is ButtonInteraction => i.isButton());
    const handle = fake.pressButton({ messageId: posted.id, customId: "here:1" });
    expect(handle.payload).toMatchObject({ type: 3, data: { custom_id: "here:1", component_type: 2 }, message: { id: posted.id }, channel_id: fake.defaultChannelId });
    const interaction = await received;
    expect(interaction.customId).toBe("here:1");
    expect(interaction.message.id).toBe(posted.id);
    await interaction.reply({ content: "Checked in", flags: MessageFlags.Ephemeral });
    const callback = await handle.waitForCallback();
    expect([callback.type, callback.data?.flags]).toEqual([4, 64]);
  });

  it("delivers DM interactions and resolves user options", async () => {
    await client.application.commands.create({
      name: "remind",
      description: "Remind a participant",
      options: [{ type: ApplicationCommandOptionType.User, name: "who", description: "Participant", required: true }],
    });
    const received = nextInteraction(client, isChatInput);
    const handle = fake.interact({ commandName: "remind", guildId: null, options: { who: fake.defaultUserId } });
    expect(handle.payload.user).toBeDefined();
    expect(handle.payload.member).toBeUndefined();
    const interaction = await received;
    expect(interaction.guildId).toBeNull();
    expect(interaction.options.getUser("who")?.username).toBe("tester");
    await interaction.reply({ content: "Reminder set", flags: MessageFlags.Ephemeral });
    expect((await handle.waitForCallback()).data?.flags).toBe(64);
    // Unknown options of a registered command are a test bug: Discord would never send them.
    expect(() => fake.interact({ commandName: "remind", options: { nope: 1 } })).toThrow(/unknown option/);
  });

  it("records channel.send with allowed_mentions and enforce_nonce, deduplicating a repeated nonce", async () => {
    const channel = client.channels.cache.get(fake.defaultChannelId) as TextChannel;
    const before = fake.messages(channel.id).length;
    const first = await channel.send({
      content: `Hi <@${fake.defaultUserId}> @everyone`,
      allowedMentions: { users: [fake.defaultUserId] },
      nonce: "reg-42",
      enforceNonce: true,
    });
    const second = await channel.send({ content: "retry", nonce: "reg-42", enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(second.content).toBe(first.content);

    const stored = fake.messages(channel.id).slice(before);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.allowedMentions).toEqual({ users: [fake.defaultUserId] });
    expect(stored[0]?.nonce).toBe("reg-42");
    expect(stored[0]?.enforceNonce).toBe(true);
    expect(first.mentions.users.has(fake.defaultUserId)).toBe(true);
    expect(first.mentions.everyone).toBe(false); // parse omitted -> @everyone not allowed
    expect(fake.duplicateNoncesSuppressed()).toBe(1);

    const tooLong = await channel.send("x".repeat(2001)).catch((e: unknown) => e);
    expect((tooLong as DiscordAPIError).code).toBe(50035);
    const empty = await channel.send({ content: "" }).catch((e: unknown) => e);
    expect((empty as DiscordAPIError).code).toBe(50006);

    // multipart/form-data: payload_json + files[n].
    const withFile = await channel.send({ content: "handout", files: [{ attachment: Buffer.from("week 1 notes"), name: "notes.txt" }] });
    expect(withFile.attachments.first()?.name).toBe("notes.txt");
    expect(fake.messages(channel.id).at(-1)?.attachments[0]).toMatchObject({ filename: "notes.txt", size: 12 });
  });

  it("lets discord.js wait out a 429 storm; the message arrives exactly once", async () => {
    // A fresh channel has a fresh per-channel bucket (the default channel's 5/5 s bucket is used up above).
    const channelId = fake.addChannel(fake.defaultGuildId, { name: "announcements" });
    const channel = await fake.waitFor(() => client.channels.cache.get(channelId) as TextChannel | undefined, 2000, "CHANNEL_CREATE");
    const before = fake.messages(channel.id).length;
    const hitsBefore = fake.rateLimitHits().length;
    fake.storm({ route: Routes.channelMessageCreate, count: 1, retryAfter: 0.3 });
    const started = Date.now();
    const sent = await channel.send("after the storm");
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(2000);
    expect(fake.messages(channel.id).slice(before).map((m) => m.id)).toEqual([sent.id]);
    const hits = fake.rateLimitHits().slice(hitsBefore);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ route: Routes.channelMessageCreate, scope: "user", cause: "storm", global: false });
  });

  it("surfaces 50001 Missing Access and 10003 Unknown Channel as DiscordAPIError", async () => {
    const hiddenId = fake.addChannel(fake.defaultGuildId, { name: "staff-only" });
    const goneId = fake.addChannel(fake.defaultGuildId, { name: "archived" });
    await fake.waitFor(() => client.channels.cache.has(hiddenId) && client.channels.cache.has(goneId), 2000, "CHANNEL_CREATE");
    fake.setChannelState(hiddenId, "missing_access");
    fake.setChannelState(goneId, "unknown");

    const hidden = client.channels.cache.get(hiddenId) as TextChannel;
    const denied = await hidden.send("hello").catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(DiscordAPIError);
    expect((denied as DiscordAPIError).code).toBe(50001);
    expect((denied as DiscordAPIError).status).toBe(403);

    const gone = client.channels.cache.get(goneId) as TextChannel;
    const unknown = await gone.send("hello").catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(DiscordAPIError);
    expect((unknown as DiscordAPIError).code).toBe(10003);
    expect((unknown as DiscordAPIError).status).toBe(404);

    const fetched = await client.channels.fetch("123456789012345678", { force: true }).catch((e: unknown) => e);
    expect((fetched as DiscordAPIError).code).toBe(10003);
  });

  it("resumes (not re-identifies) after a dropped socket and replays an interaction sent meanwhile", async () => {
    const identifiesBefore = fake.identifies().length;
    const resumesBefore = fake.resumes().length;
    const received = nextInteraction(client, isChatInput);

    await fake.dropGatewayConnections({ code: 4000 });
    const handle = fake.interact({ commandName: "schedule", options: { week: "2" } });
    expect(handle.record.deliveredAt).toBeNull(); // queued while disconnected

    const interaction = await received;
    expect(interaction.id).toBe(handle.id);
    await interaction.reply("still here");
    expect((await handle.waitForCallback()).type).toBe(4);

    expect(fake.identifies().length).toBe(identifiesBefore);
    const resumes = fake.resumes().slice(resumesBefore);
    expect(resumes).toHaveLength(1);
    expect(resumes[0]?.replayed).toBeGreaterThanOrEqual(1);
    expect(resumes[0]?.path).toBe("/gateway/resume"); // used resume_gateway_url
  });

  it("resumes after a socket terminated without a close frame, and after op 7 RECONNECT", async () => {
    const identifiesBefore = fake.identifies().length;
    const resumesBefore = fake.resumes().length;

    await fake.dropGatewayConnections({ terminate: true });
    await fake.waitFor(() => fake.resumes().length === resumesBefore + 1, 5000, "resume after terminate");

    fake.sendReconnect();
    await fake.waitFor(() => fake.resumes().length === resumesBefore + 2, 5000, "resume after op 7");

    // op 9 with d: true -> discord.js RESUMEs on the same socket.
    const connectionsBefore = fake.gatewayConnectionCount();
    fake.invalidateSession(true);
    await fake.waitFor(() => fake.resumes().length === resumesBefore + 3, 5000, "resume after op 9 (true)");
    expect(fake.gatewayConnectionCount()).toBe(connectionsBefore);

    const received = nextInteraction(client, isChatInput);
    const handle = fake.interact({ commandName: "schedule", options: { week: "4" } });
    await received;
    expect(handle.record.deliveredAt).not.toBeNull();
    expect(fake.identifies().length).toBe(identifiesBefore);
  });
});

describe("Discord fake: timing, limits and protocol edges", () => {
  afterEach(destroyClients);

  it("refuses an interaction answered after the acknowledgement window with 10062", async () => {
    await withFake({ heartbeatIntervalMs: 1000, interactionAckWindowMs: 200 }, async (fake) => {
      const client = await connect(fake);
      const received = nextInteraction(client, isChatInput);
      const handle = fake.interact({ commandName: "slow" });
      const interaction = await received;
      await new Promise((r) => setTimeout(r, 300));
      const error = await interaction.reply("too late").catch((e: unknown) => e);
      expect((error as DiscordAPIError).code).toBe(10062);
      expect(handle.record.callback).toBeNull();
    });
  });

  it("sends rate limit headers that discord.js honours: no 429 under real per-route limits", async () => {
    const route = Routes.channelMessageCreate;
    await withFake({ heartbeatIntervalMs: 1000, rateLimits: { routes: { [route]: { limit: 2, windowMs: 400 } } } }, async (fake) => {
      const client = await connect(fake);
      const channel = client.channels.cache.get(fake.defaultChannelId) as TextChannel;
      await Promise.all([1, 2, 3, 4, 5].map((n) => channel.send(`msg ${n}`)));
      expect(fake.messages(channel.id).map((m) => m.content).sort()).toEqual(["msg 1", "msg 2", "msg 3", "msg 4", "msg 5"]);
      expect(fake.rateLimitHits()).toHaveLength(0);
      const ts = fake.acceptedMessageTimestamps();
      // 5 messages at 2 per 400 ms need at least two full windows.
      expect((ts[4] ?? 0) - (ts[0] ?? 0)).toBeGreaterThanOrEqual(700);
    });
  });

  it("answers raw REST abuse with global 429s and rejects bad tokens with 401", async () => {
    await withFake({ rateLimits: { globalPerSecond: 3 } }, async (fake) => {
      const headers = { Authorization: `Bot ${fake.token}` };
      const statuses: number[] = [];
      let globalResponse: Response | undefined;
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${fake.apiBase}/v10/users/@me`, { headers });
        statuses.push(res.status);
        if (res.status === 429) globalResponse = res;
        else await res.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(globalResponse?.headers.get("x-ratelimit-global")).toBe("true");
      expect(globalResponse?.headers.get("x-ratelimit-scope")).toBe("global");
      expect(Number(globalResponse?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      const body = (await globalResponse?.json()) as { message: string; retry_after: number; global: boolean };
      expect(body.message).toBe("You are being rate limited.");
      expect(body.global).toBe(true);
      expect(body.retry_after).toBeGreaterThan(0);

      const unauthorized = await fetch(`${fake.apiBase}/v10/users/@me`, { headers: { Authorization: "Bot wrong" } });
      expect(unauthorized.status).toBe(401);
      expect(await unauthorized.json()).toEqual({ message: "401: Unauthorized", code: 0 });

      const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
      clients.push(client);
      await expect(client.login("wrong-token")).rejects.toThrow(/invalid token/i);
    });
  });

  it("re-identifies after op 9 INVALID_SESSION (d: false)", async () => {
    await withFake({ heartbeatIntervalMs: 1000 }, async (fake) => {
      const client = await connect(fake);
      const shardReadyAgain = once(client, Events.ShardReady);
      fake.invalidateSession(false);
      // discord.js waits for its identify throttle (~5 s window) before the second IDENTIFY. Wait for the
      // shard to be ready again: destroying a shard that is still waiting for READY makes @discordjs/ws reconnect.
      await shardReadyAgain;
      expect(fake.identifies()).toHaveLength(2);
      expect(fake.identifies()[1]?.sessionId).not.toBe(fake.identifies()[0]?.sessionId);
      expect(fake.resumes()).toHaveLength(0);
    });
  }, 20_000);

  it("speaks zlib-stream and enforces gateway close codes for raw clients", async () => {
    await withFake({ heartbeatIntervalMs: 500 }, async (fake) => {
      // zlib-stream: binary frames from one inflate context, each ending with 00 00 ff ff.
      const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
      const inflate = zlib.createInflate();
      const payloads: { op: number; t?: string | null }[] = [];
      let pending = "";
      inflate.on("data", (chunk: Buffer) => {
        pending += chunk.toString("utf8");
        try {
          payloads.push(JSON.parse(pending) as { op: number; t?: string | null });
          pending = "";
        } catch {
          // partial JSON, wait for more
        }
      });
      ws.on("message", (data: Buffer) => {
        expect(data.subarray(-4)).toEqual(Buffer.from([0, 0, 0xff, 0xff]));
        inflate.write(data);
      });
      await once(ws, "open");
      await fake.waitFor(() => payloads.find((p) => p.op === 10), 2000, "HELLO");
      ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: { os: "linux", browser: "raw", device: "raw" } } }));
      await fake.waitFor(() => payloads.find((p) => p.t === "GUILD_CREATE"), 2000, "GUILD_CREATE");
      expect(payloads.map((p) => p.t ?? p.op)).toEqual([10, "READY", "GUILD_CREATE"]);
      ws.send(JSON.stringify({ op: 1, d: 2 }));
      await fake.waitFor(() => payloads.find((p) => p.op === 11), 2000, "HEARTBEAT_ACK");
      ws.close(1000);
      await once(ws, "close");
      inflate.destroy();

      // identify `compress: true`: each payload is a standalone zlib-deflated binary frame.
      const plain = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
      const frames: { binary: boolean; payload: { op: number; t?: string | null } }[] = [];
      plain.on("message", (data: Buffer, binary: boolean) => {
        const text = binary ? zlib.inflateSync(data).toString("utf8") : data.toString("utf8");
        frames.push({ binary, payload: JSON.parse(text) as { op: number; t?: string | null } });
      });
      await once(plain, "open");
      await fake.waitFor(() => frames.length > 0, 2000, "HELLO");
      plain.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, compress: true, properties: { os: "linux", browser: "raw", device: "raw" } } }));
      await fake.waitFor(() => frames.find((f) => f.payload.t === "GUILD_CREATE"), 2000, "GUILD_CREATE");
      expect(frames.map((f) => [f.binary, f.payload.t ?? f.payload.op])).toEqual([[false, 10], [true, "READY"], [true, "GUILD_CREATE"]]);
      plain.close(1000);
      await once(plain, "close");

      const closeCodeFor = async (payload: unknown, query = "?v=10&encoding=json"): Promise<number> => {
        const sock = new WebSocket(`${fake.gatewayUrl}${query}`);
        await once(sock, "open");
        sock.send(typeof payload === "string" ? payload : JSON.stringify(payload));
        const [code] = (await once(sock, "close")) as [number];
        return code;
      };
      expect(await closeCodeFor({ op: 2, d: { token: "nope", intents: 1, properties: {} } })).toBe(4004);
      expect(await closeCodeFor({ op: 3, d: { status: "online" } })).toBe(4003);
      expect(await closeCodeFor({ op: 99, d: null })).toBe(4001);
      expect(await closeCodeFor("{not json")).toBe(4002);
      expect(await closeCodeFor({ op: 2, d: { token: fake.token, intents: 1 << 30, properties: {} } })).toBe(4013);
      expect(await closeCodeFor({ op: 6, d: { token: fake.token, session_id: "x", seq: 0 } }, "?v=6&encoding=json")).toBe(4012);
    });
  });

  it("dispatches MESSAGE_CREATE by intent and strips content without MESSAGE_CONTENT", async () => {
    await withFake({ heartbeatIntervalMs: 1000 }, async (fake) => {
      const client = await connect(fake, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
      const seen: { author: string; content: string }[] = [];
      client.on(Events.MessageCreate, (m) => seen.push({ author: m.author.id, content: m.content }));
      fake.userMessage({ content: "I cannot make it on Tuesday" });
      await (client.channels.cache.get(fake.defaultChannelId) as TextChannel).send("noted");
      await fake.waitFor(() => seen.length === 2, 2000, "two messageCreate events");
      expect(seen).toContainEqual({ author: fake.defaultUserId, content: "" });
      expect(seen).toContainEqual({ author: fake.botUserId, content: "noted" });
    });
  });

  it("close() after client.destroy() leaves no sockets open", async () => {
    const fake = await startDiscordFake({ heartbeatIntervalMs: 1000 });
    const client = await connect(fake);
    await client.destroy();
    clients.splice(clients.indexOf(client), 1);
    await fake.waitFor(() => fake.gatewayConnectionCount() === 0, 2000, "gateway sockets closed");
    // discord.js closes with 1000, which invalidates the session (no resume possible).
    expect(fake.gatewaySessions().every((s) => s.invalidated)).toBe(true);
    await fake.close();
    await expect(fetch(`${fake.apiBase}/v10/gateway`)).rejects.toThrow();
  });
});
