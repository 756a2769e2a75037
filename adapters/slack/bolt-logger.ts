// Bolt, the WebClient and the Socket Mode client log through @slack/logger's interface; this
// hands their lines to our pino logger, so they land in the same structured stream.
import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../src/logger.ts";

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

export function boltLogger(logger: Logger): SlackLogger {
  const text = (parts: unknown[]) => parts.map((part) => (typeof part === "string" ? part : part instanceof Error ? part.message : JSON.stringify(part))).join(" ");
  return {
    debug: (...parts) => logger.debug(text(parts)),
    info: (...parts) => logger.info(text(parts)),
    warn: (...parts) => logger.warn(text(parts)),
    error: (...parts) => logger.error(text(parts)),
    // pino's level decides; Bolt only asks, or sets its default, which we ignore.
    setLevel: () => undefined,
    getLevel: () => LEVELS[logger.level] ?? LogLevel.INFO,
    setName: () => undefined,
  };
}
