// The audit log: who granted what to whom, who registered which group. Append-only.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Prisma } from "../generated/prisma/client.ts";

export type AuditWriter = Pick<PrismaClient, "auditEntry">;

export async function audit(
  db: AuditWriter,
  entry: { actorMemberId?: number | null; action: string; targetMemberId?: number | null; details?: Prisma.InputJsonObject },
): Promise<void> {
  await db.auditEntry.create({
    data: {
      actorMemberId: entry.actorMemberId ?? null,
      action: entry.action,
      targetMemberId: entry.targetMemberId ?? null,
      details: entry.details ?? {},
    },
  });
}
