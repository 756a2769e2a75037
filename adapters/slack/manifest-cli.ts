// `npm run slack:manifest`: prints the Slack app manifest for this configuration (SLACK_COMMAND,
// SLACK_MODE, DEFAULT_LOCALE), to paste when creating the app. Flags override the configuration.
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { chooseLocale, loadI18n } from "../../src/i18n/i18n.ts";
import { manifestYaml, slackManifest } from "./manifest.ts";

const usage = [
  "Usage: npm run -s slack:manifest -- [--command /o4p] [--language en] [--http https://bot.example.org]",
  "",
  "  --command <name>   the slash command (default SLACK_COMMAND, /o4p)",
  "  --language <code>  language of the app's descriptions (default DEFAULT_LOCALE)",
  "  --http <url>       HTTP mode: the bot's public base URL; Slack will post to <url>/slack/events",
  "                     (default: Socket Mode, unless SLACK_MODE=http, which needs --http)",
  "",
].join("\n");

try {
  const { values } = parseArgs({ options: { command: { type: "string" }, language: { type: "string" }, http: { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const config = loadConfig();
  const command = values.command ?? config.SLACK_COMMAND;
  if (!/^\/[a-z0-9_-]{1,31}$/.test(command)) throw new Error(`--command must look like /o4p (lower case, at most 32 characters), not ${command}`);
  if (values.http !== undefined && !/^https:\/\/[^\s/]+/.test(values.http)) throw new Error("--http must be the bot's public https:// address");
  if (values.http === undefined && config.SLACK_MODE === "http") throw new Error("SLACK_MODE=http: give the bot's public address with --http https://…");
  const i18n = await loadI18n();
  const manifest = slackManifest(i18n, {
    command,
    locale: chooseLocale(values.language ?? config.DEFAULT_LOCALE),
    mode: values.http ? { kind: "http", publicUrl: values.http } : { kind: "socket" },
  });
  process.stdout.write(manifestYaml(manifest));
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n\n${usage}`);
  process.exit(1);
}
