// A bot process for the reminder benchmark: the real app (scheduler tick, dispatcher, outbox)
// on the benchmark's PostgreSQL schema, sending through a PacedAdapter. It runs until killed.
// Environment: DATABASE_URL (with ?schema=), PLATFORM_URL, RATE (messages per second).
import { createApp } from "../src/app.ts";
import { configSchema } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { PacedAdapter } from "./fakes/paced-adapter.ts";

const config = configSchema.parse({ ...process.env, TICK_SECONDS: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" });
const app = await createApp({ config, logger: createLogger(config.LOG_LEVEL), seedExample: false, http: false });
const rate = Number(process.env.RATE ?? 30);
await app.start([new PacedAdapter("bench", process.env.PLATFORM_URL!, { global: { messages: rate, perMs: 1000 } })]);
process.send?.("ready");
process.on("SIGTERM", () => void app.stop().then(() => process.exit(0)));
