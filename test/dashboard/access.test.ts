// Signing in to the dashboard: /dashboard's one-time links and the sessions they start, on every
// backend (and across two processes sharing PostgreSQL). The clock is moved, never waited for.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DashboardAccess, LINK_LIFETIME_MS, SESSION_LIFETIME_MS } from "../../src/dashboard/access.ts";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

describe.each(backends)("dashboard access on %s", (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot(backend, { coordinators: "console:coordinator" });
  });
  beforeEach(async () => {
    await bot.reset();
  });
  afterAll(async () => {
    await bot.close();
  });

  const access = () => bot.app.services.dashboard;
  async function linkToken(user = "coordinator", extra = {}): Promise<string> {
    const reply = await bot.say(user, `dm-${user}`, "/dashboard", { isPrivateChat: true, ...extra });
    const token = /\/dashboard\/signin\?token=([\w-]+)/.exec(reply)?.[1];
    if (!token) throw new Error(`no link in: ${reply}`);
    return token;
  }

  it("answers /dashboard privately with a link that expires in 10 minutes, in the caller's language", async () => {
    const replies = await bot.app.handle({ platform: "console", channelId: "c", userId: "coordinator", displayName: "Cora", name: "dashboard", text: "", userLocale: "de" });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ private: true, confidential: true });
    const text = JSON.stringify(replies[0]!.blocks);
    expect(text).toMatch(/http:\/\/localhost:\d+\/dashboard\/signin\?token=[\w-]{43}/);
    expect(text).toContain("Er läuft in 10 Minuten ab");
    const [link] = await bot.db.prisma.dashboardLink.findMany();
    expect(link).toMatchObject({ locale: "de", timezone: "Europe/Berlin" });
    expect(link!.expiresAt.getTime() - bot.clock.now().getTime()).toBe(LINK_LIFETIME_MS);
  });

  it("stores only a hash of each token", async () => {
    const token = await linkToken();
    const signIn = await access().signIn(token);
    expect(signIn.ok).toBe(true);
    const stored = JSON.stringify([await bot.db.prisma.dashboardLink.findMany(), await bot.db.prisma.dashboardSession.findMany()]);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(signIn.ok ? signIn.sessionToken : "?");
  });

  it("signs in once per link: a reused link is refused", async () => {
    const token = await linkToken();
    const first = await access().signIn(token);
    expect(first.ok).toBe(true);
    expect(await access().viewer(first.ok ? first.sessionToken : undefined)).toMatchObject({ role: "coordinator", member: { platformUserId: "coordinator" } });
    expect(await access().signIn(token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a link older than 10 minutes", async () => {
    const token = await linkToken();
    bot.clock.advance(LINK_LIFETIME_MS);
    expect(await access().signIn(token)).toEqual({ ok: false, reason: "expired" });
    expect(await bot.db.prisma.dashboardSession.count()).toBe(0);
  });

  it("accepts a link just before it expires, and ends the session after 12 hours", async () => {
    const token = await linkToken();
    bot.clock.advance(LINK_LIFETIME_MS - 1_000);
    const signIn = await access().signIn(token);
    if (!signIn.ok) throw new Error(signIn.reason);
    bot.clock.advance(SESSION_LIFETIME_MS - 1_000);
    expect(await access().viewer(signIn.sessionToken)).toBeDefined();
    bot.clock.advance(1_000);
    expect(await access().viewer(signIn.sessionToken)).toBeUndefined();
  });

  it("ends the session on sign-out", async () => {
    const signIn = await access().signIn(await linkToken());
    if (!signIn.ok) throw new Error(signIn.reason);
    await access().signOut(signIn.sessionToken);
    expect(await access().viewer(signIn.sessionToken)).toBeUndefined();
    expect(await bot.db.prisma.dashboardSession.count()).toBe(0);
  });

  it("refuses /dashboard to a participant, and a facilitator whose role was revoked loses the session", async () => {
    expect(await bot.say("pat", "dm-pat", "/dashboard", { isPrivateChat: true })).toMatch(/is for the facilitator role only/);
    expect(await bot.db.prisma.dashboardLink.count()).toBe(0);

    await bot.say("fay", "dm-fay", "/whoami");
    await bot.say("coordinator", "dm-coordinator", "/grant fay facilitator");
    const unused = await linkToken("fay");
    const signIn = await access().signIn(await linkToken("fay"));
    if (!signIn.ok) throw new Error(signIn.reason);
    expect(await access().viewer(signIn.sessionToken)).toMatchObject({ role: "facilitator" });
    await bot.say("coordinator", "dm-coordinator", "/revoke fay");
    expect(await access().viewer(signIn.sessionToken)).toBeUndefined();
    expect(await access().signIn(unused)).toEqual({ ok: false, reason: "not-allowed" });
  });

  it("gives a session to only one of two browsers presenting the same link at once", async () => {
    const token = await linkToken();
    const outcomes = await Promise.all([access().signIn(token), access().signIn(token), access().signIn(token)]);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(await bot.db.prisma.dashboardSession.count()).toBe(1);
  });

  it.runIf(backend === "postgres")("accepts in one process a link made by another sharing the database, once", async () => {
    const token = await linkToken();
    const other = await bot.db.reopen();
    const elsewhere = new DashboardAccess(other.prisma, bot.clock, (member) => member.role, () => "http://elsewhere");
    const outcomes = await Promise.all([elsewhere.signIn(token), access().signIn(token)]);
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const winner = outcomes.find((outcome) => outcome.ok);
    expect(await elsewhere.viewer(winner?.ok ? winner.sessionToken : undefined)).toBeDefined();
  });
});
