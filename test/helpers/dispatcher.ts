// A dispatcher as a second bot process would run it: its own connection pool (`db`), outbox and
// adapters, the test bot's clock and delivery kinds. For tests that race two processes.
import type { Adapter } from "../../src/core/adapter.ts";
import type { Database } from "../../src/db/database.ts";
import { createLogger } from "../../src/logger.ts";
import { Dispatcher } from "../../src/outbox/dispatcher.ts";
import { Outbox } from "../../src/outbox/outbox.ts";
import type { TestBot } from "./bot.ts";

export function processDispatcher(bot: TestBot, db: Database, adapters: Adapter[], options: { maxInFlight?: number; idlePollMs?: number } = {}): Dispatcher {
  const dispatcher = new Dispatcher({
    db: db.prisma,
    outbox: new Outbox(db.prisma, bot.clock),
    kinds: bot.app.kinds,
    i18n: bot.app.i18n,
    clock: bot.clock,
    logger: createLogger("silent"),
    onUnreachable: async () => {},
    ...options,
  });
  for (const adapter of adapters) dispatcher.addAdapter(adapter);
  return dispatcher;
}
