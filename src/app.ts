// Builds the running bot from its parts: database (migrated), i18n, services, command pipeline,
// HTTP server and adapters; and takes it apart again in the right order.
import { commands as allCommands } from "../commands/index.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Adapter, BotHost } from "./core/adapter.ts";
import type { CommandEntry } from "./core/command.ts";
import { CommandPipeline } from "./core/pipeline.ts";
import { openDatabase, type Database } from "./db/database.ts";
import { healthzRoute } from "./http/healthz.ts";
import { HttpServer } from "./http/server.ts";
import { loadI18n, normalizeLocale, type I18n } from "./i18n/i18n.ts";
import type { Notice } from "./core/notice.ts";
import { suggest } from "./core/suggestions.ts";
import type { Logger } from "./logger.ts";
import { seedExampleProgram } from "./programs/example.ts";
import type { Outbox } from "./outbox/outbox.ts";
import { createServices, type Planners, type Services } from "./services/index.ts";
import { Dispatcher } from "./outbox/dispatcher.ts";
import { DeliveryKinds } from "./outbox/kinds.ts";
import { deliveryKinds } from "./delivery-kinds.ts";
import { planners } from "./planners.ts";
import { Scheduler } from "./scheduler.ts";
import { Metrics } from "./metrics/metrics.ts";
import { readOutboxDepth } from "./metrics/outbox-depth.ts";
import { metricsRoute } from "./metrics/route.ts";
import { dashboardRoutes } from "./dashboard/routes.ts";

/** How long a stopping bot waits for sends already under way (src/main.ts allows 10 s in all). */
const SEND_GRACE_MS = 5_000;

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  commands?: readonly CommandEntry[];
  /** Load the example program into an empty database (default true). */
  seedExample?: boolean;
  /** Serve HTTP (default true). */
  http?: boolean;
  /** An already opened database (tests); otherwise opened from the configuration. */
  database?: Database;
  /** Run the scheduler tick and the dispatcher loops (default true); tests drive them by hand. */
  background?: boolean;
}

export interface App {
  readonly db: Database;
  /** What command handlers use. */
  readonly services: Services;
  readonly outbox: Outbox;
  /** What the scheduler tick runs; tests drive them by hand. */
  readonly planners: Planners;
  readonly pipeline: CommandPipeline;
  readonly http: HttpServer;
  readonly i18n: I18n;
  readonly dispatcher: Dispatcher;
  readonly kinds: DeliveryKinds;
  readonly metrics: Metrics;
  readonly adapters: readonly Adapter[];
  readonly host: BotHost;
  /** Things worth telling the person at the console (e.g. that the example program was loaded). */
  readonly notices: Notice[];
  /** Serves HTTP and starts the chat adapters (chosen by the caller: src/main.ts, from configuration). */
  start(adapters: Adapter[]): Promise<void>;
  stop(): Promise<void>;
  handle: BotHost["handle"];
}

export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const startedAt = Date.now();
  const db = options.database ?? (await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  try {
    const report = await db.migrate();
    logger.info({ database: db.kind, location: db.location, applied: report.applied, upToDate: report.alreadyApplied }, "database ready");
  } catch (error) {
    await db.close();
    throw error;
  }
  const i18n = await loadI18n();
  const http = new HttpServer(logger);
  const { services, outbox, planners: planned, channels } = createServices({
    db: db.prisma,
    clock,
    logger,
    coordinators: config.COORDINATORS,
    dashboardUrl: () => config.DASHBOARD_URL ?? `http://localhost:${http.port ?? config.PORT}`,
  });
  await services.members.bootstrapCoordinators();
  const notices: Notice[] = [];
  const example = (options.seedExample ?? true) ? await seedExampleProgram(services.programs, clock, logger) : undefined;
  if (example) notices.push(example);
  const commands = options.commands ?? allCommands;
  const metrics = new Metrics();
  const pipeline = new CommandPipeline({ services, i18n, clock, logger, commands, metrics, defaultLocale: config.DEFAULT_LOCALE });
  const adapters: Adapter[] = [];
  const kinds = new DeliveryKinds(deliveryKinds(db.prisma));

  const host: BotHost = {
    handle: (command) => pipeline.handle(command),
    commands,
    i18n,
    logger,
    http,
    clock,
    channelUnreachable: (platform, channelId, reason) => channels.unreachable(platform, channelId, reason),
    async channelReachable(platform, channelId) {
      await channels.reachable(platform, channelId);
    },
    async personMet(person) {
      await services.members.resolveCaller({ ...person, locale: normalizeLocale(person.locale) });
    },
    channelMoved: (platform, fromChannelId, toChannelId) => channels.moved(platform, fromChannelId, toChannelId),
    suggest: (source, query, locale) => suggest(source, query, locale, services),
  };

  const dispatcher = new Dispatcher({
    db: db.prisma,
    outbox,
    kinds,
    i18n,
    clock,
    logger,
    onUnreachable: (platform, channelId, reason) => host.channelUnreachable(platform, channelId, reason),
    metrics,
  });
  // Whatever is queued to go out now is sent now, not at the dispatcher's next poll.
  outbox.onDue(() => dispatcher.kick());
  const scheduler = new Scheduler(planners(planned, services.privacy), dispatcher, logger, config.TICK_SECONDS);

  let stopping: Promise<void> | undefined;
  http.route("GET", "/healthz", healthzRoute({ db, adapters, stopping: () => stopping !== undefined }));

  metrics.observe({ outboxDepth: () => readOutboxDepth(db.prisma, clock), adapters: () => adapters });
  http.route("GET", "/metrics", metricsRoute(metrics, config.METRICS_TOKEN));
  http.mount("/dashboard", dashboardRoutes({ db: db.prisma, services, i18n, clock, secure: config.DASHBOARD_URL?.startsWith("https:") ?? false }));

  let started = false;
  return {
    db,
    services,
    outbox,
    planners: planned,
    pipeline,
    http,
    i18n,
    adapters,
    notices,
    host,
    dispatcher,
    kinds,
    metrics,
    handle: host.handle,
    async start(chosen) {
      adapters.push(...chosen);
      if (options.http ?? true) {
        const port = await http.listen(config.PORT);
        logger.info({ port }, "http server listening");
      }
      for (const adapter of adapters) {
        await adapter.start(host);
        dispatcher.addAdapter(adapter);
        logger.info({ platform: adapter.platform }, "adapter started");
      }
      if (options.background ?? true) {
        dispatcher.start();
        await scheduler.start();
      }
      started = true;
      logger.info({ ms: Date.now() - startedAt, platforms: adapters.map((adapter) => adapter.platform) }, "bot ready");
    },
    stop() {
      stopping ??= (async () => {
        // No more commands (each is told to come back in a minute), the tick, then the dispatcher
        // hands back what waits and finishes the sends in flight (briefly: what is still
        // unanswered is left to its claim's expiry), then the adapters, what serves them, the database.
        pipeline.close();
        await scheduler.stop();
        await dispatcher.stop({ graceMs: SEND_GRACE_MS });
        for (const adapter of [...adapters].reverse()) {
          await adapter.stop().catch((error) => logger.error({ err: error, platform: adapter.platform }, "adapter stop failed"));
        }
        await http.close();
        await db.close();
        if (started) logger.info("bot stopped");
      })();
      return stopping;
    },
  };
}
