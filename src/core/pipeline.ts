// The command pipeline: incoming command -> validated input -> caller, channel and group ->
// locale and zone -> arguments parsed and validated -> role checked -> handler -> replies.
// Platform-free: adapters feed it IncomingCommands and render what comes back.
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import type { Clock } from "../clock.ts";
import { chooseLocale, normalizeLocale, type I18n, type Locale } from "../i18n/i18n.ts";
import { formatDateTime } from "../time/format.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { Services } from "../services/index.ts";
import { characterCount } from "../text/characters.ts";
import { closestMatches } from "../text/similarity.ts";
import type { ArgSpec } from "./args.ts";
import { commandKey, isGroup, worksInPrivateChat, type CommandDefinition, type CommandEntry, type Reply } from "./command.ts";
import type { CommandContext } from "./context.ts";
import { isUserError, UserError } from "./errors.ts";
import { incomingCommandSchema, MAX_COMMAND_TEXT, type IncomingCommand } from "./incoming.ts";
import { textMessage, type OutgoingMessage } from "./messages.ts";
import { parseArguments, tokenize } from "./parse.ts";
import { readerFor } from "./reader.ts";
import { isAllowed, standingOf } from "./roles.ts";
import { usageLine } from "./usage.ts";

export interface PipelineDeps {
  services: Services;
  i18n: I18n;
  clock: Clock;
  logger: Logger;
  commands: readonly CommandEntry[];
  metrics?: Metrics;
  /** Replies' language when neither the person, the group nor the program has one (DEFAULT_LOCALE). */
  defaultLocale?: Locale;
}

interface Resolved {
  path: string[];
  definition: CommandDefinition;
  /** The text left for the arguments once the subcommand's name is taken off. */
  text: string;
}

export class CommandPipeline {
  /** Set when the bot begins shutting down: commands are answered, not run. */
  private closed = false;

  constructor(private readonly deps: PipelineDeps) {}

  /** Stops taking commands (graceful shutdown): each gets a "send it again in a minute". */
  close(): void {
    this.closed = true;
  }

  get commands(): readonly CommandEntry[] {
    return this.deps.commands;
  }

  /** Runs one command. Never throws: every outcome is a reply. */
  async handle(raw: IncomingCommand): Promise<OutgoingMessage[]> {
    const startedAt = performance.now();
    let command = "unknown"; // a declared name only: what users mistype must not become a label
    const parsed = incomingCommandSchema.safeParse(raw);
    const locale = chooseLocale((raw as Partial<IncomingCommand>)?.userLocale, this.deps.defaultLocale);
    if (this.closed) {
      this.deps.metrics?.commandHandled(command, "unavailable", startedAt);
      return [this.errorReply(locale, "UTC", new UserError("errors.restarting"))];
    }
    if (!parsed.success) {
      const tooLong = parsed.error.issues.some((issue) => issue.path[0] === "text" && issue.code === "too_big");
      this.deps.metrics?.commandHandled(command, "invalid", startedAt);
      const refusal = tooLong ? new UserError("errors.input.tooLong", { max: MAX_COMMAND_TEXT }) : new UserError("errors.input.invalid");
      return [this.errorReply(locale, "UTC", refusal)];
    }
    const incoming = parsed.data;
    let context: CommandContext | undefined;
    try {
      const built = await this.buildContext(incoming);
      context = built.context;
      const resolved = this.resolve(incoming);
      const { definition, path } = resolved;
      command = path.join(" ");
      if (incoming.isPrivateChat && !worksInPrivateChat(definition)) {
        throw new UserError("errors.groupChatOnly", { command: `/${path.join(" ")}` });
      }
      if (!isAllowed(definition.role, context.standing)) {
        throw new UserError(definition.role === "member" ? "errors.notMember" : "errors.forbidden", {
          command: `/${path.join(" ")}`,
          role: context.t(`roles.${definition.role}`),
        });
      }
      const args = this.validate(definition, path, incoming, resolved.text);
      const reply = await definition.run(context, args as never);
      // A group whose lead left is led by the next member who speaks in its channel (after the
      // command has run, so that a /leave stays a leave). Whether it had a lead came with the
      // channel, so a group that has one costs no query here.
      if (context.group && !built.groupHasLead) await this.deps.services.leads.claimIfVacant(context.caller, context.group);
      this.deps.metrics?.commandHandled(command, "ok", startedAt);
      return normalizeReply(reply, definition.privateReply ?? false);
    } catch (error) {
      const replyLocale = context?.locale ?? locale;
      this.deps.metrics?.commandHandled(command, isUserError(error) ? (REFUSALS.has(error.key) ? "forbidden" : "user_error") : "error", startedAt);
      if (isUserError(error)) return [this.errorReply(replyLocale, context?.timezone ?? "UTC", error)];
      const reference = randomBytes(4).toString("hex");
      this.deps.logger.error(
        { err: error, reference, command: incoming.name, platform: incoming.platform, channel: incoming.channelId },
        "command failed",
      );
      return [textMessage(this.deps.i18n.t(replyLocale, "errors.unexpected", { reference }), { private: true })];
    }
  }

  private async buildContext(incoming: IncomingCommand): Promise<{ context: CommandContext; groupHasLead: boolean }> {
    const { services, i18n } = this.deps;
    const [caller, binding, program] = await Promise.all([
      services.members.resolveCaller({
        platform: incoming.platform,
        userId: incoming.userId,
        displayName: incoming.displayName || incoming.username || incoming.userId,
        username: incoming.username,
        locale: normalizeLocale(incoming.userLocale),
      }),
      services.registration.channel(incoming.platform, incoming.channelId),
      services.programs.active(),
    ]);
    const group = binding?.group ?? null;
    const role = services.members.effectiveRole(caller);
    const platformLocales = [incoming.userLocale, caller.locale];
    // In a private chat the caller is the only reader: their own group decides language and zone.
    const reader = incoming.isPrivateChat
      ? readerFor(i18n, { kind: "private", platformLocales, ownGroup: await services.registration.ownGroup(caller, program), program }, this.deps.defaultLocale)
      : readerFor(i18n, { kind: "caller", platformLocales, channelGroup: group, program }, this.deps.defaultLocale);
    const context: CommandContext = {
      incoming,
      caller,
      role,
      standing: standingOf(caller, role, group),
      channel: binding,
      group,
      program,
      locale: reader.locale,
      timezone: reader.timezone,
      t: reader.t,
      i18n,
      services,
      clock: this.deps.clock,
      logger: this.deps.logger,
      commands: this.deps.commands,
    };
    return { context, groupHasLead: binding?.groupHasLead ?? false };
  }

  private resolve(incoming: IncomingCommand): Resolved {
    const name = incoming.name.toLowerCase();
    const entry = this.deps.commands.find((candidate) => candidate.name === name);
    if (!entry) {
      const suggestions = closestMatches(name, this.deps.commands.map((candidate) => ({ value: candidate.name, keys: [candidate.name] })), 1);
      throw new UserError(suggestions[0] ? "errors.unknownCommandSuggest" : "errors.unknownCommand", {
        command: `/${name}`,
        suggestion: suggestions[0] ? `/${suggestions[0]}` : undefined,
      });
    }
    const text = incoming.text ?? "";
    if (!isGroup(entry)) return { path: [entry.name], definition: entry, text };
    const first = incoming.subcommand ?? tokenize(text)[0]?.value;
    const chosen = entry.subcommands.find((sub) => sub.name === first?.toLowerCase());
    if (chosen) {
      const rest = incoming.subcommand ? text : text.slice(text.toLowerCase().indexOf(chosen.name) + chosen.name.length);
      return { path: [entry.name, chosen.name], definition: chosen, text: rest };
    }
    const fallback = entry.subcommands.find((sub) => sub.name === entry.defaultSubcommand);
    if (fallback) return { path: [entry.name, fallback.name], definition: fallback, text };
    throw new UserError("errors.unknownSubcommand", {
      command: `/${entry.name}`,
      subcommands: entry.subcommands.map((sub) => sub.name).join(", "),
    });
  }

  private validate(definition: CommandDefinition, path: string[], incoming: IncomingCommand, text: string): Record<string, unknown> {
    const usage = usageLine(path, definition);
    let raw: Record<string, unknown>;
    try {
      raw = incoming.options ? { ...incoming.options } : parseArguments(definition, text);
    } catch (error) {
      if (isUserError(error)) throw new UserError(error.key, { ...error.params, usage });
      throw error;
    }
    const values: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(definition.args)) {
      const value = raw[name];
      if ((value === undefined || value === "") && spec.required) {
        throw new UserError("errors.args.missing", { arg: name, usage, labelKey: labelKey(path, name) });
      }
      const result = spec.schema.safeParse(value === "" ? undefined : value);
      if (!result.success) throw argumentError(name, spec, result.error, usage, labelKey(path, name), value);
      values[name] = result.data;
    }
    return values;
  }

  private errorReply(locale: Locale, zone: string, error: UserError): OutgoingMessage {
    const t = this.deps.i18n.translator(locale);
    const params: Record<string, unknown> = Object.fromEntries(
      Object.entries(error.params).map(([key, value]) => [key, value instanceof Date ? formatDateTime(value, locale, zone) : value]),
    );
    if (typeof params.labelKey === "string") params.label = t(params.labelKey);
    const lines = [t(error.key, params)];
    if (typeof params.usage === "string") lines.push(t("errors.usage", { usage: params.usage }));
    return textMessage(lines.join("\n"), { private: true });
  }
}

/** The errors that mean "not yours to run", counted apart from mistakes in metrics. */
const REFUSALS = new Set(["errors.forbidden", "errors.notMember"]);

/** The argument's description doubles as its name in messages ("Missing: Your group's name."). */
function labelKey(path: string[], name: string): string {
  return `${commandKey(path[0]!, path[1])}.args.${name}`;
}

function argumentError(name: string, spec: ArgSpec, error: z.ZodError, usage: string, labelKey: string, value: unknown): UserError {
  const issue = error.issues[0];
  const key = issue?.message.startsWith("errors.") ? issue.message : "errors.args.invalid";
  return new UserError(key, {
    arg: name,
    labelKey,
    max: spec.max,
    min: spec.min ?? 1,
    choices: spec.choices?.join(", "),
    length: typeof value === "string" ? characterCount(value.trim()) : undefined,
    usage,
  });
}

function normalizeReply(reply: Reply, privateReply: boolean): OutgoingMessage[] {
  const messages = typeof reply === "string" ? [textMessage(reply)] : Array.isArray(reply) ? reply : [reply];
  return privateReply ? messages.map((message) => ({ ...message, private: true })) : messages;
}
