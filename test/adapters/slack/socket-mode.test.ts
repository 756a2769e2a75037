// Socket Mode, the default: no public URL, the bot connects out to Slack with its app-level
// token. Driven end to end through Bolt's SocketModeReceiver against the local Socket Mode fake.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BEA, startSlackHarness, visible, type SlackHarness } from "./harness.ts";

describe("Slack in Socket Mode", () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlackHarness({ mode: "socket" });
  });
  afterAll(async () => {
    await slack?.close();
  });

  it("connects with the app-level token and serves nothing over HTTP", async () => {
    expect(slack.socket!.connections).toBe(1);
    const opened = slack.fake.requests.filter((request) => request.method === "apps.connections.open");
    expect(opened).toMatchObject([{ ok: true }]);
    expect((await fetch(slack.target.url, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${slack.app.http.port}/healthz`)).status).toBe(200);
  });

  it("acknowledges a slash command at once and answers through its response_url", async () => {
    const [reply] = await slack.slash("register Socket Tenants");
    expect(reply!.visibility).toBe("in_channel");
    expect(visible(reply!)).toContain("Group “Socket Tenants” is registered");
    expect(slack.socket!.acks.length).toBeGreaterThanOrEqual(1);
  });

  it("receives mentions as events", async () => {
    const [reply] = await slack.mention("join", { user: BEA });
    expect(visible(reply!)).toContain("Beatriz Souza entrou em “Socket Tenants”");
  });

  it("reconnects when Slack asks it to refresh its connection", { timeout: 20_000 }, async () => {
    slack.socket!.requestRefresh();
    await expect.poll(() => slack.adapter.isConnected()).toBe(false);
    // Bolt's Socket Mode client waits its ping timeout (5 s) before reconnecting.
    await slack.socket!.waitForConnections(2, 15_000);
    await expect.poll(() => slack.adapter.isConnected()).toBe(true);
    const [reply] = await slack.slash("whoami", { user: BEA });
    expect(visible(reply!)).toContain("Socket Tenants");
    expect(slack.fake.requests.filter((request) => request.method === "apps.connections.open")).toHaveLength(2);
  });

  it("closes its connection on stop", async () => {
    await slack.app.stop();
    expect(slack.adapter.isConnected()).toBe(false);
    await expect.poll(() => slack.socket!.connections).toBe(0);
  });
});
