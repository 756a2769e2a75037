// /healthz asks the database for SELECT 1. When the network path to the server goes silent
// (nothing answers, nothing fails), the ping must still come back, false, so /healthz answers 503
// instead of hanging with it. Found by the fault suite's database outage.
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { startTcpProxy } from "../faults/tcp-proxy.ts";
import { backends } from "../helpers/database.ts";

describe.runIf(backends.includes("postgres"))("the database ping", () => {
  it("says unreachable while the server is silent, and reachable again after", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    const db = await openDatabase({ url: url.toString() });
    try {
      expect(await db.ping()).toBe(true);
      proxy.stall();
      expect(await db.ping()).toBe(false);
      proxy.restore();
      await expect.poll(() => db.ping(), { timeout: 20_000, interval: 500 }).toBe(true);
    } finally {
      proxy.restore();
      await proxy.close();
      await db.close();
    }
  }, 30_000);
});
