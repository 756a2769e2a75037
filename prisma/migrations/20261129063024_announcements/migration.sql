-- CreateEnum
CREATE TYPE "AnnouncementStatus" AS ENUM ('draft', 'confirmed', 'cancelled');

-- CreateTable
CREATE TABLE "Announcement" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "authorId" INTEGER,
    "status" "AnnouncementStatus" NOT NULL DEFAULT 'draft',
    "defaultText" TEXT NOT NULL,
    "defaultLocale" TEXT,
    "translations" JSONB NOT NULL DEFAULT '{}',
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "countries" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "platforms" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "groupIds" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "allowMassMentions" BOOLEAN NOT NULL DEFAULT false,
    "sendAt" TIMESTAMPTZ(3),
    "confirmedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Announcement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Announcement_programId_status_idx" ON "Announcement"("programId", "status");

-- CreateIndex
CREATE INDEX "Announcement_authorId_status_idx" ON "Announcement"("authorId", "status");

-- AddForeignKey
ALTER TABLE "Announcement" ADD CONSTRAINT "Announcement_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Announcement" ADD CONSTRAINT "Announcement_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

