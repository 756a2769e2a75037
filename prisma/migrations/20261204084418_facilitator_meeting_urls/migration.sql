-- A facilitator may give one video link per room they lead at the same time: the one link
-- becomes a list, and a link already given stays as its first entry.
-- AlterTable
ALTER TABLE "FacilitatorProfile" ADD COLUMN     "meetingUrls" TEXT[] DEFAULT ARRAY[]::TEXT[];

UPDATE "FacilitatorProfile" SET "meetingUrls" = ARRAY["meetingUrl"] WHERE "meetingUrl" IS NOT NULL;

ALTER TABLE "FacilitatorProfile" DROP COLUMN "meetingUrl";
