-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "deleteAfterDays" INTEGER,
ADD COLUMN     "keepSubmissions" BOOLEAN NOT NULL DEFAULT false;

