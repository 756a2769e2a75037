// The console adapter: a terminal chat. You type commands as a user in a channel and read the
// bot's replies; reminders and announcements for any channel appear as they are sent. End of
// input closes the console, never the bot.
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Adapter, BotHost, SendResult } from "../../src/core/adapter.ts";
import { renderPlain, type FileAttachment, type OutgoingMessage } from "../../src/core/messages.ts";
import { chooseLocale, normalizeLocale, type Locale } from "../../src/i18n/i18n.ts";
import { renderNotice, type Notice } from "../../src/core/notice.ts";
import { SendBudget } from "../../src/core/send-budget.ts";
import { parseConsoleLine } from "./console-line.ts";
import { saveFile } from "./exports.ts";

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  user?: string;
  channel?: string;
  /** The user's language; defaults to the terminal's (LANG). */
  locale?: string;
  /** Show a prompt (when the input is a terminal). */
  prompt?: boolean;
  /** Explain that no platform is configured. */
  noPlatforms?: boolean;
  /** Shown before the banner, e.g. that the example program was loaded. */
  notices?: Notice[];
  /** Where files the bot sends (CSV exports) are written; without it only their name is shown. */
  exportDirectory?: string;
}

export class ConsoleAdapter implements Adapter {
  readonly platform = "console";
  /** A terminal takes any number of lines at once. */
  readonly budget = new SendBudget({});
  private host: BotHost | undefined;
  private readline: Interface | undefined;
  private user: string;
  private channel: string;
  private locale: Locale | undefined;
  private queue: Promise<void> = Promise.resolve();
  private sent = 0;
  private open = false;

  constructor(private readonly options: ConsoleOptions) {
    this.user = options.user ?? "you";
    this.channel = options.channel ?? "demo";
    this.locale = normalizeLocale(options.locale ?? process.env.LC_ALL ?? process.env.LANG);
  }

  isConnected(): boolean {
    return true;
  }

  async start(host: BotHost): Promise<void> {
    this.host = host;
    const t = host.i18n.translator(chooseLocale(this.locale));
    if (this.options.noPlatforms) this.print(t("console.noPlatforms"));
    for (const notice of this.options.notices ?? []) this.print(renderNotice(host.i18n, chooseLocale(this.locale), notice));
    this.print(t("console.banner", { user: this.user, channel: this.channel }));
    const readline = createInterface({ input: this.options.input, terminal: false });
    this.readline = readline;
    this.open = true;
    readline.on("line", (line) => {
      // One line at a time, in order, so replies never interleave.
      this.queue = this.queue.then(() => this.handleLine(line)).catch((error) => host.logger.error({ err: error }, "console line failed"));
    });
    readline.on("close", () => {
      this.queue = this.queue.then(() => {
        if (!this.open) return;
        this.open = false;
        this.print(t("console.closed"));
      });
    });
    this.showPrompt();
  }

  async stop(): Promise<void> {
    this.open = false;
    this.readline?.close();
    await this.queue;
  }

  /** Messages for any channel are shown, marked with the channel they went to. */
  async send(channelId: string, message: OutgoingMessage): Promise<SendResult> {
    this.print(`[#${channelId}] ${await this.render(message)}`);
    return { platformMessageId: `console-${++this.sent}` };
  }

  private async handleLine(line: string): Promise<void> {
    const host = this.host!;
    const t = host.i18n.translator(chooseLocale(this.locale));
    const parsed = parseConsoleLine(line);
    switch (parsed.kind) {
      case "empty":
        break;
      case "meta-as":
        this.user = parsed.user;
        if (parsed.channel) this.channel = parsed.channel;
        this.print(t("console.switched", { user: this.user, channel: this.channel }));
        break;
      case "meta-lang":
        this.locale = normalizeLocale(parsed.locale);
        break;
      case "meta-help":
        this.print(t("console.metaHelp"));
        break;
      case "meta-quit":
        this.readline?.close();
        return;
      case "meta-unknown":
        this.print(t("console.unknownMeta"));
        break;
      case "text":
        this.print(t("console.notACommand"));
        break;
      case "command": {
        const replies = await host.handle({
          platform: this.platform,
          channelId: this.channel,
          userId: this.user,
          displayName: this.user,
          username: this.user,
          ...(this.locale ? { userLocale: this.locale } : {}),
          name: parsed.name,
          text: parsed.text,
        });
        for (const reply of replies) this.print(await this.render(reply));
        break;
      }
    }
    this.showPrompt();
  }

  private async render(message: OutgoingMessage): Promise<string> {
    const text = renderPlain(message);
    return message.file ? `${text}\n${await this.deliverFile(message.file)}` : text;
  }

  private async deliverFile(file: FileAttachment): Promise<string> {
    if (!this.options.exportDirectory || !this.host) return `(${file.fileName})`;
    const saved = await saveFile(this.options.exportDirectory, file);
    return this.host.i18n.t(chooseLocale(this.locale), "console.fileSaved", { path: saved });
  }

  private showPrompt(): void {
    if (this.options.prompt && this.open) this.options.output.write(`${this.user}@#${this.channel}> `);
  }

  private print(text: string): void {
    this.options.output.write(`${text}\n`);
  }
}
