-- The channel's platform on each delivery, so the dispatcher's claim reads one table.
-- Rows queued before this migration take it from their channel.

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "platform" TEXT;
UPDATE "Delivery" d SET "platform" = c."platform" FROM "Channel" c WHERE c."id" = d."channelId";
ALTER TABLE "Delivery" ALTER COLUMN "platform" SET NOT NULL;

-- CreateIndex
CREATE INDEX "Delivery_platform_status_nextAttemptAt_idx" ON "Delivery"("platform", "status", "nextAttemptAt");
