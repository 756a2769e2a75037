// Upgrading a bot whose facilitators gave one video link each: the link stays, as their first.
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { applyMigrations, readMigrations } from "../../src/db/migrate.ts";

describe("upgrading to one video link per room", () => {
  it("keeps each facilitator's link as the first of their links", async () => {
    const pglite = new PGlite();
    try {
      const connection = {
        exec: async (sql: string) => void (await pglite.exec(sql)),
        query: async (sql: string, params: unknown[] = []) => (await pglite.query<Record<string, unknown>>(sql, params)).rows,
        withLock: <T>(work: () => Promise<T>) => work(),
      };
      const all = readMigrations();
      const upgrade = all.findIndex((file) => file.name.endsWith("_facilitator_meeting_urls"));
      await applyMigrations(connection, all.slice(0, upgrade));
      await pglite.exec(`
        INSERT INTO "Member" (platform, "platformUserId", "displayName", role) VALUES ('console', 'fiona', 'fiona', 'facilitator'), ('console', 'frank', 'frank', 'facilitator');
        INSERT INTO "FacilitatorProfile" ("memberId", languages, capacity, "meetingUrl", "updatedAt")
          SELECT id, ARRAY['de'], 2, CASE "platformUserId" WHEN 'fiona' THEN 'https://meet.example.org/fiona' END, now() FROM "Member";`);
      await applyMigrations(connection, all);
      const rows = await connection.query(`SELECT m."platformUserId" AS who, p."meetingUrls" AS links FROM "FacilitatorProfile" p JOIN "Member" m ON m.id = p."memberId" ORDER BY who`);
      expect(rows).toEqual([
        { who: "fiona", links: ["https://meet.example.org/fiona"] },
        { who: "frank", links: [] },
      ]);
    } finally {
      await pglite.close();
    }
  }, 120_000); // every migration on an embedded database: slow on a busy machine
});
