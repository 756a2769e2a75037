// Run as a child process by lifecycle.test.ts: the whole bot with the Telegram adapter against
// the fake, one command answered, then stopped. It must exit on its own: stop() leaves no timer,
// socket or server behind. Prints what is still open.
import { ALICE, startTelegramHarness } from "./harness.ts";

const h = await startTelegramHarness({ fake: { rateLimits: "off" } });
const reply = await h.ask(ALICE, "/whoami");
await h.close();
await new Promise((resolve) => setImmediate(resolve));
const left = process.getActiveResourcesInfo().filter((kind) => kind !== "TTYWrap" && kind !== "PipeWrap");
console.log(JSON.stringify({ answered: reply.message.text!.includes("Alice"), left }));
