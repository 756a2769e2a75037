// One zod schema over the environment. A bad value stops start-up with a message that names
// the variable; secrets never appear in that message or in logs.
import { existsSync } from "node:fs";
import path from "node:path";
import { config as loadDotenv } from "dotenv";
import { z } from "zod";
import { FALLBACK_LOCALE, normalizeLocale, SUPPORTED_LOCALES } from "./i18n/i18n.ts";

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

/** `platform:userId` pairs, comma separated: the people who are coordinators from the start. */
const coordinatorList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return [] as { platform: string; userId: string }[];
      const result: { platform: string; userId: string }[] = [];
      for (const entry of value.split(",").map((item) => item.trim()).filter(Boolean)) {
        const match = /^([a-z]+):(.+)$/.exec(entry);
        if (!match) {
          ctx.addIssue({ code: "custom", message: `"${entry}" is not of the form platform:userId (e.g. console:alice, discord:123)` });
          continue;
        }
        result.push({ platform: match[1]!, userId: match[2]! });
      }
      return result;
    }),
);

const port = z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000));

export const configSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(["development", "production", "test"]).default("development")),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default("./data")),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL (leave it empty to use the embedded database)")
      .optional(),
  ),
  PORT: port,
  /** When set, GET /metrics wants "Authorization: Bearer <token>". */
  METRICS_TOKEN: optionalString,
  /** The dashboard's public address, for the sign-in links /dashboard sends (default http://localhost:PORT). */
  DASHBOARD_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/ })
      .refine((url) => !URL.canParse(url) || new URL(url).pathname === "/", "must be the address (scheme, host and port) at which PORT is reached, without a path")
      .transform((url) => new URL(url).origin)
      .optional(),
  ),
  COORDINATORS: coordinatorList,
  /** The language of replies when neither the person, their group nor the program has one we ship. */
  DEFAULT_LOCALE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default("en")
      .transform((value, ctx) => {
        const locale = normalizeLocale(value);
        if (!locale) ctx.addIssue({ code: "custom", message: `must be one of ${SUPPORTED_LOCALES.join(", ")}` });
        return locale ?? FALLBACK_LOCALE;
      }),
  ),
  /** Seconds between scheduler ticks (enqueue the reminder horizon, dispatch what is due). */
  TICK_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(59).default(5)),
  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.url().default("https://api.telegram.org")),
  TELEGRAM_WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "may contain only A-Z, a-z, 0-9, _ and -, up to 256 characters").optional(),
  ),
  SLACK_BOT_TOKEN: z.preprocess(emptyToUndefined, z.string().startsWith("xoxb-", "must be the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page").optional()),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(emptyToUndefined, z.string().startsWith("xapp-", "must be an app-level token (xapp-…) with the connections:write scope").optional()),
  SLACK_MODE: z.preprocess(emptyToUndefined, z.enum(["socket", "http"]).optional()),
  SLACK_API_URL: z.preprocess(emptyToUndefined, z.url().default("https://slack.com/api/")),
  SLACK_COMMAND: z.preprocess(emptyToUndefined, z.string().regex(/^\/[a-z0-9_-]{1,31}$/).default("/o4p")),
  DISCORD_TOKEN: optionalString,
  DISCORD_APPLICATION_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{5,25}$/, "must be a Discord snowflake (digits)").optional()),
  DISCORD_GUILD_ID: z.preprocess(emptyToUndefined, z.string().regex(/^\d{5,25}$/, "must be a Discord snowflake (digits)").optional()),
  DISCORD_API_URL: z.preprocess(emptyToUndefined, z.url().default("https://discord.com/api")),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" + problems.map((problem) => `  ${problem.variable}: ${problem.message}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** Reads `.env` (when present) under the environment itself, which wins. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const merged = { ...env };
  const dotenvPath = path.join(cwd, ".env");
  if (env === process.env && existsSync(dotenvPath)) {
    const parsed = loadDotenv({ path: dotenvPath, processEnv: {}, quiet: true }).parsed ?? {};
    for (const [key, value] of Object.entries(parsed)) if (merged[key] === undefined) merged[key] = value;
  }
  const result = configSchema.safeParse(merged);
  if (result.success) return crossCheck(result.data);
  throw new ConfigError(
    result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "?"), message: issue.message })),
  );
}

/** Rules that span variables: a platform is either fully configured or not at all. */
function crossCheck(config: Config): Config {
  const problems: { variable: string; message: string }[] = [];
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET) {
    problems.push({ variable: "TELEGRAM_WEBHOOK_SECRET", message: "is required when TELEGRAM_WEBHOOK_URL is set" });
  }
  if (config.SLACK_BOT_TOKEN && !config.SLACK_SIGNING_SECRET) {
    problems.push({ variable: "SLACK_SIGNING_SECRET", message: "is required when SLACK_BOT_TOKEN is set" });
  }
  if (config.SLACK_BOT_TOKEN && (config.SLACK_MODE ?? "socket") === "socket" && !config.SLACK_APP_TOKEN) {
    problems.push({ variable: "SLACK_APP_TOKEN", message: "is required for Socket Mode (or set SLACK_MODE=http)" });
  }
  if (config.DISCORD_TOKEN && !config.DISCORD_APPLICATION_ID) {
    problems.push({ variable: "DISCORD_APPLICATION_ID", message: "is required when DISCORD_TOKEN is set" });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
