// Thousands of random and hostile command texts (very long, control characters, mixed scripts and
// directions, quotes, SQL and HTML fragments, platform markup and mentions) through each adapter's
// inbound parsing (Telegram messages, Slack slash commands, Discord interactions), the whole
// pipeline (PGlite), and each platform's renderer: nothing throws, no reply is an apology for a
// bug or shows a stack trace, and every piece of text reaches the platform escaped. fast-check
// with a fixed seed and a bounded number of runs: quick, and a failure replays exactly.
// In `npm test` rather than the fault suite: it needs no processes or server, and takes seconds.
import fc from "fast-check";
import type { ChatInputCommandInteraction } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { readCommand } from "../../adapters/discord/inbound.ts";
import { allowedMentionTypes, renderMessage as renderDiscord } from "../../adapters/discord/render.ts";
import { commandFromSlash, slashCommandSchema } from "../../adapters/slack/inbound.ts";
import { escapeControl } from "../../adapters/slack/mrkdwn.ts";
import { renderMessage as renderSlack } from "../../adapters/slack/render.ts";
import { readMessage } from "../../adapters/telegram/inbound.ts";
import { renderChunks } from "../../adapters/telegram/render.ts";
import { MAX_COMMAND_TEXT } from "../../src/core/incoming.ts";
import { flattenCommands, isGroup } from "../../src/core/command.ts";
import { renderPlain, type OutgoingMessage } from "../../src/core/messages.ts";
import { parseHtml } from "../fakes/telegram/formatting.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

const SEED = 20261204;
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);

const HOSTILE = [
  `'; DROP TABLE "Member"; --`,
  `" OR 1=1 --`,
  "<script>alert(1)</script>",
  "<b>bold</b> <i>x</i> <a href=\"javascript:alert(1)\">click</a>",
  "&amp; &lt; & &#x3C; &",
  "<!channel> <!here> <@U0123ABCD> <#C0123|general> <https://evil.example|totally safe>",
  "@everyone @here <@&123456789012345678> <@!123456789012345678>",
  "*bold* _it_ ~strike~ `code` ```fence``` ||spoiler|| [link](https://evil.example)",
  "> quote\n# heading\n- item\n1. one",
  "\u0000\u0001\u0007\u001b[31m\u007f\u0085",
  "\u202e\u2066\u200f\u200b\u2028\u2029\ufeff",
  "مرحبا שלום 你好 こんにちは 안녕하세요 Привет नमस्ते 🏳️‍🌈👩‍👩‍👧",
  "{{count}} ${process.env} $(reboot) %s%n%x \\ \\\\",
  "name=\"unterminated quote",
  "group=\"A;B\" languages=de,fr at=\"2030-05-10 09:00\" confirm=yes",
  "https://example.org/a_b*c?x=<y>&z=1",
  "1e309 -0 NaN 99999999999999999999 0x1F",
  "/register /help@other_bot",
];

const text = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
      { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
      { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
      { weight: 1, arbitrary: fc.constantFrom("x".repeat(4_100), "ü".repeat(2_500), "\n".repeat(300)) },
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(" "));

const names = flattenCommands(commands).map(({ path }) => path.join(" "));
const commandName = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const user = fc.constantFrom("coco", "ana", "ben", "stranger");
const displayName = fc.oneof(fc.constantFrom("Ana", "<b>Ben</b>", "@everyone", "*Kim*", "\u202eevil"), fc.string({ unit: "binary", maxLength: 30 }));

/** Nothing a person sees may look like a bug: the apology for one, or a stack trace. */
function expectNoBugShown(replies: OutgoingMessage[]): void {
  for (const reply of replies) {
    const plain = renderPlain(reply);
    expect(plain).not.toMatch(/something went wrong on our side/);
    expect(plain).not.toMatch(/\n\s+at \S+ \(|\.ts:\d+:\d+|PrismaClient|TypeError|ReferenceError/);
  }
}

/** Telegram: the HTML parses as Telegram parses it, and every < and & the core wrote arrives as text. */
function expectTelegramEscaped(reply: OutgoingMessage): void {
  const visible = renderChunks(reply)
    .map((chunk) => parseHtml(chunk.html).text)
    .join("");
  const plain = renderPlain(reply).replace(/ \(https?:[^)]*\)/g, "");
  expect(count(visible, "<")).toBe(count(plain, "<"));
  expect(count(visible, "&")).toBe(count(plain, "&"));
}

/** Slack: no <…> but our own links, no mention, and & only as an escape. */
function expectSlackEscaped(reply: OutgoingMessage): void {
  for (const message of renderSlack(reply, { slashCommand: "/o4p", commandNames: names })) {
    for (const block of message.blocks) {
      const mrkdwn = block.text.text.replace(/<(?:https?:\/\/|mailto:)[^<>|\s]+(?:\|[^<>]*)?>/g, "");
      expect(mrkdwn).not.toMatch(/[<>]/);
      expect(mrkdwn.replace(/&(?:amp|lt|gt);/g, "")).not.toContain("&");
      expect(mrkdwn).not.toMatch(/(^|[^\p{L}\p{N}_])@(here|channel|everyone)\b/u);
    }
  }
}

/** Discord: outside code blocks every < is escaped, mass mentions are broken, nothing may notify. */
function expectDiscordEscaped(reply: OutgoingMessage): void {
  expect(allowedMentionTypes(reply)).toEqual([]);
  for (const content of renderDiscord(reply)) {
    const prose = content.replace(/```[\s\S]*?```/g, "");
    expect(prose).not.toMatch(/(^|[^\\])<[@#:&!]/);
    expect(prose).not.toMatch(/@(everyone|here)/);
  }
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe("hostile input", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot("pglite", { coordinators: "console:coco,telegram:1001,slack:U0COCO,discord:1001" });
    for (const platform of ["console", "telegram", "slack", "discord"]) {
      const channel = { console: "berlin", telegram: "-100200", slack: "C0BERLIN", discord: "2002" }[platform]!;
      await bot.app.handle({ platform, channelId: channel, userId: "ana", displayName: "Ana", name: "register", text: `Tenants ${platform}` });
    }
  }, 180_000);
  afterAll(async () => {
    await bot.close();
  });

  it("through Telegram's inbound parsing, the pipeline and Telegram HTML", async () => {
    const telegramNames = { botUsername: "fake_test_bot", commands: new Map(commands.map((entry) => [entry.name, entry.name])) };
    await fc.assert(
      fc.asyncProperty(commandName, text, fc.constantFrom(1001, 1002, 1003), displayName, async (name, body, userId, firstName) => {
        const line = `/${name.split(" ")[0]}`;
        const raw = {
          message_id: 1,
          date: 1_800_000_000,
          chat: { id: -100200, type: "supergroup", title: "Tenants" },
          from: { id: userId, is_bot: false, first_name: firstName || "x", language_code: "de" },
          text: `${line} ${name.split(" ").slice(1).join(" ")} ${body}`,
          entities: [{ type: "bot_command", offset: 0, length: line.length }],
        };
        const inbound = readMessage(raw, telegramNames);
        if (inbound.kind !== "command") return;
        const replies = await bot.app.handle(inbound.command);
        expectNoBugShown(replies);
        for (const reply of replies) expectTelegramEscaped(reply);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 300_000);

  it("through Slack's slash commands, the pipeline and Slack mrkdwn", async () => {
    await fc.assert(
      fc.asyncProperty(commandName, text, fc.constantFrom("U0COCO", "U0BEN", "U0KIM"), displayName, async (name, body, userId, profileName) => {
        // Slack escapes &, < and > in what it posts to the app.
        const payload = slashCommandSchema.parse({ command: "/o4p", text: escapeControl(`${name} ${body}`), user_id: userId, user_name: "someone", channel_id: "C0BERLIN", response_url: "https://hooks.slack.example/r/1" });
        const replies = await bot.app.handle(commandFromSlash(payload, { displayName: profileName, locale: "fr-FR" }));
        expectNoBugShown(replies);
        for (const reply of replies) expectSlackEscaped(reply);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 300_000);

  it("through Discord's interactions, the pipeline and Discord markdown", async () => {
    const entries = flattenCommands(commands);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...entries), text, fc.constantFrom("1001", "1002"), displayName, async ({ path, definition }, body, userId, globalName) => {
        const first = Object.keys(definition.args)[0];
        const leaf = first ? [{ name: first, type: 3, value: body.slice(0, 6000) }] : [];
        const interaction = {
          channelId: "2002",
          guildId: "3003",
          user: { id: userId, username: "someone", globalName },
          member: null,
          locale: "ko",
          commandName: path[0],
          options: { data: path.length > 1 ? [{ name: path[1], type: 1, options: leaf }] : leaf },
        } as unknown as ChatInputCommandInteraction;
        const read = readCommand(interaction, commands);
        if ("invalid" in read) return;
        const replies = await bot.app.handle(read.command);
        expectNoBugShown(replies);
        for (const reply of replies) expectDiscordEscaped(reply);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 300_000);

  it("survives thousands of malformed payloads in each adapter's inbound parsing alone", () => {
    const telegramNames = { botUsername: "fake_test_bot", commands: new Map([["help", "help"]]) };
    const json = fc.jsonValue({ maxDepth: 3 });
    const message = fc.record({ message_id: fc.oneof(fc.integer(), json), chat: fc.oneof(json, fc.record({ id: fc.integer(), type: fc.constantFrom("private", "group", "supergroup", "channel", "x") })), from: fc.oneof(json, fc.record({ id: fc.integer(), is_bot: fc.boolean(), first_name: text })), text: fc.oneof(text, json), entities: fc.oneof(json, fc.array(fc.record({ type: fc.constantFrom("bot_command", "url"), offset: fc.integer({ min: -2, max: 5 }), length: fc.integer({ min: -1, max: 80 }) }), { maxLength: 3 })) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(message, json), (raw) => {
        const inbound = readMessage(raw, telegramNames);
        expect(["command", "ignore", "start", "anonymous", "migrated"]).toContain(inbound.kind);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
    fc.assert(
      fc.property(fc.record({ command: fc.oneof(text, json), text: fc.oneof(text, json), user_id: fc.oneof(text, json), channel_id: fc.oneof(text, json), response_url: fc.oneof(fc.webUrl(), text) }, { requiredKeys: [] }), (raw) => {
        const parsed = slashCommandSchema.safeParse(raw);
        if (parsed.success) expect(commandFromSlash(parsed.data, {}).text!.length).toBeLessThanOrEqual(MAX_COMMAND_TEXT);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
    fc.assert(
      fc.property(fc.oneof(json, fc.string()), fc.oneof(json, fc.string()), fc.array(fc.record({ name: fc.oneof(fc.string(), json), type: fc.oneof(fc.integer({ min: 0, max: 12 }), json), value: fc.oneof(text, json) }, { requiredKeys: [] }), { maxLength: 4 }), (commandName, channelId, data) => {
        const interaction = { channelId, guildId: null, user: { id: "1001", username: "u", globalName: null }, member: null, locale: "xx", commandName, options: { data } } as unknown as ChatInputCommandInteraction;
        const read = readCommand(interaction, commands);
        expect("invalid" in read || typeof read.command.name === "string").toBe(true);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  it("has commands with subcommands and arguments to aim at", () => {
    expect(commands.some(isGroup)).toBe(true);
    expect(names).toEqual(expect.arrayContaining(["homework submit", "announce draft", "register"]));
  });
});
