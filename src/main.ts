// `npm start`: load configuration, open and migrate the database, start the chat adapters, and
// keep running until SIGINT/SIGTERM, then shut down cleanly.
import { parseArgs } from "node:util";
import { createAdapters, enabledPlatforms, wantsConsole } from "../adapters/registry.ts";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";

const { values: flags } = parseArgs({
  options: {
    console: { type: "boolean" },
    "no-console": { type: "boolean" },
    as: { type: "string" },
    channel: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});

if (flags.help) {
  process.stdout.write(
    [
      "Usage: npm start -- [--console | --no-console] [--as <user>] [--channel <name>]",
      "",
      "  --console        read chat commands from stdin even when it is not a terminal",
      "  --no-console     never open the console chat",
      "  --as <user>      who you are in the console chat (default: you)",
      "  --channel <name> which channel you type in (default: demo)",
      "",
      "Configuration comes from the environment and .env; see .env.example.",
      "",
    ].join("\n"),
  );
  process.exit(0);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee .env.example for every variable and its meaning.\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.LOG_LEVEL);
const platforms = enabledPlatforms(config);
const consoleRequested = flags.console ? true : flags["no-console"] ? false : undefined;
const stdinIsTerminal = Boolean(process.stdin.isTTY);
logger.info({ platforms, console: wantsConsole(platforms, { requested: consoleRequested, stdinIsTerminal }) }, "chat platforms");
if (platforms.length === 0 && !wantsConsole(platforms, { requested: consoleRequested, stdinIsTerminal })) {
  logger.info("no chat platform configured: set TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN or DISCORD_TOKEN (see .env.example), or run `npm start -- --console` to chat with the bot in this terminal");
}

let app: Awaited<ReturnType<typeof createApp>>;
try {
  app = await createApp({ config, logger });
  const adapters = await createAdapters(config, {
    requested: consoleRequested,
    stdinIsTerminal,
    user: flags.as,
    channel: flags.channel,
    notices: app.notices,
  });
  await app.start(adapters);
} catch (error) {
  logger.fatal({ err: error }, "start-up failed");
  process.stderr.write(`Start-up failed: ${(error as Error).message}\n`);
  process.exit(1);
}

/** SIGTERM to exit: commands stop at once, claimed messages are handed back, the database closed. */
const SHUTDOWN_DEADLINE_MS = 10_000;
let shuttingDown = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (shuttingDown) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    // A service manager sends SIGKILL after its own timeout; leave before, on our terms.
    setTimeout(() => {
      logger.error({ signal, afterMs: SHUTDOWN_DEADLINE_MS }, "shutdown took too long: exiting now");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
