// Entry point the registry loads (dynamically, so Bolt is only loaded when Slack is configured).
import type { Config } from "../../src/config.ts";
import { slackSettings } from "./connection.ts";
import { SlackAdapter } from "./slack-adapter.ts";

export function createSlackAdapter(config: Config): SlackAdapter {
  return new SlackAdapter(slackSettings(config));
}
