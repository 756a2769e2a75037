/**
 * Run as a child process by telegram.test.ts: starts the fake, runs a real
 * grammY bot with long polling, stops both, and must then exit on its own
 * (no timers, sockets or servers left behind).
 */
import { Bot } from "grammy";
import { startTelegramFake } from "./server.ts";

const telegram = await startTelegramFake();
const bot = new Bot(telegram.token, { client: { apiRoot: telegram.apiRoot } });
bot.command("start", (ctx) => ctx.reply("hi"));
let started!: () => void;
const ready = new Promise<void>((resolve) => (started = resolve));
const polling = bot.start({ timeout: 30, onStart: () => started() });
await ready;
telegram.injectMessage({ text: "/start" });
await telegram.waitFor((m) => m.text === "hi");
await bot.stop();
await polling;
await telegram.close();
await new Promise((resolve) => setImmediate(resolve));
const left = process.getActiveResourcesInfo().filter((kind) => kind !== "TTYWrap" && kind !== "PipeWrap");
console.log(JSON.stringify({ done: true, left }));
