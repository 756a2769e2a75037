-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "homeworkLastDueDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "homeworkNudgeMinutes" INTEGER DEFAULT 1440;

-- CreateTable
CREATE TABLE "HomeworkAssignment" (
    "id" SERIAL NOT NULL,
    "sessionId" INTEGER NOT NULL,
    "texts" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "HomeworkAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HomeworkSubmission" (
    "id" SERIAL NOT NULL,
    "assignmentId" INTEGER NOT NULL,
    "groupId" INTEGER NOT NULL,
    "memberId" INTEGER,
    "text" TEXT NOT NULL,
    "attachments" JSONB NOT NULL DEFAULT '[]',
    "submittedAt" TIMESTAMPTZ(3) NOT NULL,
    "late" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "feedback" TEXT,
    "reviewedAt" TIMESTAMPTZ(3),
    "reviewerId" INTEGER,

    CONSTRAINT "HomeworkSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupFacilitator" (
    "groupId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GroupFacilitator_pkey" PRIMARY KEY ("groupId","memberId")
);

-- CreateIndex
CREATE UNIQUE INDEX "HomeworkAssignment_sessionId_key" ON "HomeworkAssignment"("sessionId");

-- CreateIndex
CREATE INDEX "HomeworkSubmission_assignmentId_groupId_idx" ON "HomeworkSubmission"("assignmentId", "groupId");

-- CreateIndex
CREATE INDEX "HomeworkSubmission_groupId_idx" ON "HomeworkSubmission"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "HomeworkSubmission_assignmentId_memberId_key" ON "HomeworkSubmission"("assignmentId", "memberId");

-- CreateIndex
CREATE INDEX "GroupFacilitator_memberId_idx" ON "GroupFacilitator"("memberId");

-- AddForeignKey
ALTER TABLE "HomeworkAssignment" ADD CONSTRAINT "HomeworkAssignment_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HomeworkSubmission" ADD CONSTRAINT "HomeworkSubmission_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "HomeworkAssignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HomeworkSubmission" ADD CONSTRAINT "HomeworkSubmission_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HomeworkSubmission" ADD CONSTRAINT "HomeworkSubmission_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HomeworkSubmission" ADD CONSTRAINT "HomeworkSubmission_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupFacilitator" ADD CONSTRAINT "GroupFacilitator_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupFacilitator" ADD CONSTRAINT "GroupFacilitator_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

