-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "titleTranslations" JSONB NOT NULL DEFAULT '{}';

