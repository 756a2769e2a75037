// The outbox depth for /metrics: one grouped count over the rows still to send, read when
// Prometheus scrapes (the index on status and nextAttemptAt keeps it cheap: sent rows are not read).
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Clock } from "../clock.ts";
import type { OutboxDepthRow } from "./metrics.ts";

export async function readOutboxDepth(db: PrismaClient, clock: Clock): Promise<OutboxDepthRow[]> {
  const rows = await db.$queryRaw<{ platform: string; kind: string; state: OutboxDepthRow["state"]; count: bigint }[]>`
    SELECT platform, kind,
           CASE WHEN status IN ('claimed', 'sending') THEN 'claimed'
                WHEN "nextAttemptAt" <= ${clock.now()} THEN 'due'
                ELSE 'scheduled' END AS state,
           count(*) AS count
    FROM "Delivery"
    WHERE status IN ('pending', 'claimed', 'sending')
    GROUP BY 1, 2, 3`;
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}
