// The clock of the bot: a node-cron tick (seconds resolution) that runs the planners (reminders
// and the like falling due within their horizon; at most once a minute, each is one idempotent
// statement) and wakes the dispatcher, which sends what is due now.
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "./logger.ts";
import type { Dispatcher } from "./outbox/dispatcher.ts";
import type { Planner } from "./planners.ts";

export class Scheduler {
  private task: ScheduledTask | undefined;
  private lastHorizon = 0;

  constructor(
    private readonly planners: readonly Planner[],
    private readonly dispatcher: Dispatcher,
    private readonly logger: Logger,
    private readonly tickSeconds: number,
    private readonly horizonEveryMs = 60_000,
  ) {}

  async start(): Promise<void> {
    await this.tick();
    this.task = cron.schedule(`*/${this.tickSeconds} * * * * *`, () => this.tick(), { noOverlap: true, name: "bot-tick" });
  }

  async tick(): Promise<void> {
    if (Date.now() - this.lastHorizon >= this.horizonEveryMs) {
      this.lastHorizon = Date.now();
      for (const planner of this.planners) {
        try {
          await planner.plan();
        } catch (error) {
          this.logger.error({ err: error, planner: planner.name }, "planning failed; will retry next tick");
          this.lastHorizon = 0;
        }
      }
    }
    this.dispatcher.kick();
  }

  async stop(): Promise<void> {
    await this.task?.destroy();
    this.task = undefined;
  }
}
