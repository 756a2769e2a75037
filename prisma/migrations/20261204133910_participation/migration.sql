-- CreateEnum
CREATE TYPE "CheckInSource" AS ENUM ('self', 'lead', 'facilitator');

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "absentNudge" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "checkInOpensMinutes" INTEGER NOT NULL DEFAULT 15,
ADD COLUMN     "flagBelow" DOUBLE PRECISION,
ADD COLUMN     "participationThreshold" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
ADD COLUMN     "supermajority" DOUBLE PRECISION NOT NULL DEFAULT 0.7;

-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "unitSize" INTEGER;

-- CreateTable
CREATE TABLE "CheckIn" (
    "id" SERIAL NOT NULL,
    "sessionId" INTEGER NOT NULL,
    "memberId" INTEGER,
    "groupId" INTEGER NOT NULL,
    "checkedInAt" TIMESTAMPTZ(3) NOT NULL,
    "late" BOOLEAN NOT NULL,
    "present" BOOLEAN NOT NULL DEFAULT true,
    "recordedBy" "CheckInSource" NOT NULL,
    "recorderId" INTEGER,

    CONSTRAINT "CheckIn_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StructureTest" (
    "id" SERIAL NOT NULL,
    "groupId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "participants" INTEGER NOT NULL,
    "unitSize" INTEGER NOT NULL,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL,
    "recordedById" INTEGER,
    "supersededById" INTEGER,

    CONSTRAINT "StructureTest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CheckIn_groupId_sessionId_idx" ON "CheckIn"("groupId", "sessionId");

-- CreateIndex
CREATE INDEX "CheckIn_memberId_idx" ON "CheckIn"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "CheckIn_sessionId_memberId_key" ON "CheckIn"("sessionId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "StructureTest_supersededById_key" ON "StructureTest"("supersededById");

-- CreateIndex
CREATE INDEX "StructureTest_groupId_nameKey_idx" ON "StructureTest"("groupId", "nameKey");

-- CreateIndex
CREATE INDEX "StructureTest_recordedById_idx" ON "StructureTest"("recordedById");

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckIn" ADD CONSTRAINT "CheckIn_recorderId_fkey" FOREIGN KEY ("recorderId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StructureTest" ADD CONSTRAINT "StructureTest_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StructureTest" ADD CONSTRAINT "StructureTest_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StructureTest" ADD CONSTRAINT "StructureTest_supersededById_fkey" FOREIGN KEY ("supersededById") REFERENCES "StructureTest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

