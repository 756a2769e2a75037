-- CreateEnum
CREATE TYPE "BreakoutMode" AS ENUM ('mix', 'keep');

-- CreateEnum
CREATE TYPE "BreakoutRoundStatus" AS ENUM ('proposal', 'published', 'superseded');

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "breakoutMode" "BreakoutMode" NOT NULL DEFAULT 'mix',
ADD COLUMN     "breakoutRoomSize" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "breakoutShowRoommates" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "FacilitatorProfile" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "languages" TEXT[],
    "capacity" INTEGER NOT NULL DEFAULT 1,
    "meetingUrl" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FacilitatorProfile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BreakoutRound" (
    "id" SERIAL NOT NULL,
    "sessionId" INTEGER NOT NULL,
    "status" "BreakoutRoundStatus" NOT NULL DEFAULT 'proposal',
    "version" INTEGER,
    "mode" "BreakoutMode" NOT NULL,
    "targetSize" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "needsConfirmation" BOOLEAN NOT NULL,
    "report" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "BreakoutRound_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BreakoutRoom" (
    "id" SERIAL NOT NULL,
    "roundId" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "language" TEXT NOT NULL,
    "facilitatorId" INTEGER,
    "meetingUrl" TEXT,

    CONSTRAINT "BreakoutRoom_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BreakoutSeat" (
    "id" SERIAL NOT NULL,
    "roomId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,

    CONSTRAINT "BreakoutSeat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FacilitatorProfile_memberId_key" ON "FacilitatorProfile"("memberId");

-- CreateIndex
CREATE INDEX "BreakoutRound_sessionId_status_idx" ON "BreakoutRound"("sessionId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "BreakoutRound_sessionId_version_key" ON "BreakoutRound"("sessionId", "version");

-- CreateIndex
CREATE INDEX "BreakoutRoom_facilitatorId_idx" ON "BreakoutRoom"("facilitatorId");

-- CreateIndex
CREATE UNIQUE INDEX "BreakoutRoom_roundId_number_key" ON "BreakoutRoom"("roundId", "number");

-- CreateIndex
CREATE INDEX "BreakoutSeat_memberId_idx" ON "BreakoutSeat"("memberId");

-- CreateIndex
CREATE INDEX "BreakoutSeat_groupId_idx" ON "BreakoutSeat"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "BreakoutSeat_roomId_memberId_key" ON "BreakoutSeat"("roomId", "memberId");

-- AddForeignKey
ALTER TABLE "FacilitatorProfile" ADD CONSTRAINT "FacilitatorProfile_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakoutRound" ADD CONSTRAINT "BreakoutRound_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakoutRoom" ADD CONSTRAINT "BreakoutRoom_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "BreakoutRound"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakoutRoom" ADD CONSTRAINT "BreakoutRoom_facilitatorId_fkey" FOREIGN KEY ("facilitatorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakoutSeat" ADD CONSTRAINT "BreakoutSeat_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "BreakoutRoom"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakoutSeat" ADD CONSTRAINT "BreakoutSeat_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreakoutSeat" ADD CONSTRAINT "BreakoutSeat_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

