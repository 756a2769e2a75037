// What operators see at GET /metrics (Prometheus text format, prom-client). One registry per app,
// not prom-client's global one, so several apps in one process (tests) never collide. The
// pipeline and the dispatcher report through the one-line hooks below; what is cheaper to read
// than to count (outbox depth, adapter connections) is read when Prometheus scrapes.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** How a command ended, as the person who sent it would tell it. */
export type CommandOutcome = "ok" | "user_error" | "forbidden" | "invalid" | "error" | "unavailable";

/** Why a send did not go through. */
export type SendFailure = "rate_limited" | "transient" | "permanent";

/** One row of the outbox depth query: rows of a platform and kind in one state. */
export interface OutboxDepthRow {
  platform: string;
  kind: string;
  /** due: pending and due now; scheduled: pending for later; claimed: being sent. */
  state: "due" | "scheduled" | "claimed";
  count: number;
}

export interface MetricsSources {
  /** The outbox depth, read at scrape time (one grouped query). */
  outboxDepth?: () => Promise<OutboxDepthRow[]>;
  /** Each running adapter's platform and whether it is connected. */
  adapters?: () => readonly { platform: string; isConnected(): boolean }[];
}

export class Metrics {
  readonly registry = new Registry();
  private sources: MetricsSources = {};

  private readonly commands = new Counter({
    name: "bot_commands_total",
    help: "Commands handled, by command (unknown names are counted as \"unknown\") and outcome.",
    labelNames: ["command", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly commandSeconds = new Histogram({
    name: "bot_command_duration_seconds",
    help: "Time from a command reaching the core to its reply being ready.",
    labelNames: ["command"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly sends = new Counter({
    name: "bot_sends_total",
    help: "Outbox messages the platform accepted, by platform and kind.",
    labelNames: ["platform", "kind"] as const,
    registers: [this.registry],
  });
  private readonly sendFailures = new Counter({
    name: "bot_send_failures_total",
    help: "Outbox sends the platform refused: rate_limited (429), transient (retried later) or permanent (channel unreachable).",
    labelNames: ["platform", "reason"] as const,
    registers: [this.registry],
  });
  private readonly lag = new Histogram({
    name: "bot_delivery_lag_seconds",
    help: "From the time a message was due to the platform accepting it.",
    labelNames: ["platform", "kind"] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
    registers: [this.registry],
  });

  constructor() {
    const sources = () => this.sources;
    new Gauge({
      name: "bot_outbox_depth",
      help: "Outbox rows waiting, by platform, kind and state (due: should go out now; scheduled: later; claimed: being sent). Absent while the database is unreachable.",
      labelNames: ["platform", "kind", "state"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const read = sources().outboxDepth;
        if (!read) return;
        // A scrape while the database is down still answers, without this gauge.
        const rows = await read().catch(() => []);
        for (const row of rows) this.set({ platform: row.platform, kind: row.kind, state: row.state }, row.count);
      },
    });
    new Gauge({
      name: "bot_adapter_connected",
      help: "1 while the chat platform's adapter is connected, else 0.",
      labelNames: ["platform"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const adapter of sources().adapters?.() ?? []) this.set({ platform: adapter.platform }, adapter.isConnected() ? 1 : 0);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Where the scrape-time figures come from (the app wires them once its parts exist). */
  observe(sources: MetricsSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  commandHandled(command: string, outcome: CommandOutcome, startedAt: number): void {
    this.commands.inc({ command, outcome });
    this.commandSeconds.observe({ command }, (performance.now() - startedAt) / 1000);
  }

  sent(platform: string, kind: string, due: Date, sentAt: Date): void {
    this.sends.inc({ platform, kind });
    this.lag.observe({ platform, kind }, Math.max(0, sentAt.getTime() - due.getTime()) / 1000);
  }

  sendFailed(platform: string, reason: SendFailure): void {
    this.sendFailures.inc({ platform, reason });
  }

  /** The text Prometheus reads, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
