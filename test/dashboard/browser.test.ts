// The dashboard in a real browser (Debian's Chromium through playwright-core): signing in with a
// link from /dashboard, the pages on a laptop and a phone, filtering groups in place, an
// announcement's progress moving while the outbox sends it, and the refusals. Every page is
// saved as a screenshot under test-output/dashboard/.
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINK_LIFETIME_MS } from "../../src/dashboard/access.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";
import { findChromium, GROUPS, LAPTOP, PHONE, SCREENSHOTS, startDashboard, type Harness } from "./harness.ts";

// A newcomer's `npm test` passes without a browser installed (the tests are reported as skipped,
// with how to run them); CI (.ci/run sets CI=1 and installs Chromium) always runs them.
const runInBrowser = findChromium() !== undefined || process.env.CI !== undefined;
if (!runInBrowser) console.warn("dashboard browser tests skipped: Chromium is not installed (apt-get install -y chromium)");

describe.runIf(runInBrowser)("dashboard in Chromium", () => {
  let h: Harness;
  let laptop: Page;
  beforeAll(async () => {
    h = await startDashboard();
    laptop = await h.signedIn("coordinator", LAPTOP, { userLocale: "en" });
  }, 180_000); // a fresh embedded database and a training's worth of data: slow on a busy machine
  afterAll(async () => {
    await h?.close();
  });

  const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const visibleRows = (page: Page) => page.locator("table.groups tbody tr:visible");

  it("signs in with the link from /dashboard and shows the overview", async () => {
    await expect.poll(() => laptop.locator("h1").textContent()).toBe("Organizing for Power, Spring 2030");
    expect(await laptop.getByTestId("groups").textContent()).toBe(String(GROUPS.length));
    expect(await laptop.getByTestId("members").textContent()).toBe(String(GROUPS.reduce((sum, group) => sum + group[5], 0)));
    expect(await laptop.getByTestId("next").textContent()).toBe("In 5 days");
    expect(await laptop.locator("svg.chart").count()).toBe(3);
    await shoot(laptop, "overview");
  });

  it("filters and sorts the groups in place", async () => {
    await laptop.getByRole("link", { name: "Groups" }).click();
    await laptop.waitForURL(/\/dashboard\/groups/);
    expect(await visibleRows(laptop).count()).toBe(GROUPS.length);
    await shoot(laptop, "groups");

    await laptop.getByLabel("Search").fill("lagos");
    await expect.poll(() => visibleRows(laptop).count()).toBe(1);
    expect(await laptop.locator("[data-count]").textContent()).toBe(`1 of ${GROUPS.length} groups`);
    expect(laptop.url()).toContain("q=lagos");

    await laptop.getByLabel("Search").fill("");
    await laptop.getByLabel("Platform").selectOption("slack");
    await expect.poll(() => visibleRows(laptop).count()).toBe(GROUPS.filter((group) => group[1] === "slack").length);
    await laptop.getByRole("link", { name: "Members" }).click();
    const names = await visibleRows(laptop).locator("td:first-child strong").allTextContents();
    expect(names).toEqual(["Manila Call Centre Organizers", "Collectif Logement Lyon", "Hamburg Care Workers", "Seoul Platform Workers"]);
    // The CSV button follows the filter.
    expect(await laptop.getByRole("link", { name: "Download CSV" }).getAttribute("href")).toContain("platform=slack");
    await shoot(laptop, "groups-filtered");
  });

  it("charts participation per session and lists it per group", async () => {
    await laptop.goto(`${h.base}/dashboard/participation`);
    expect(await laptop.locator(".note").textContent()).toContain("Attendance appears once check-ins are recorded");
    expect(await laptop.locator("svg.chart rect.bar").count()).toBe(4);
    expect(await laptop.locator("figcaption.legend").textContent()).toBe("Homework submittedHomework on time");
    await laptop.locator("select[name=session]").selectOption("1");
    await laptop.getByRole("button", { name: "Show" }).click();
    await laptop.waitForURL(/session=1/);
    expect(await laptop.locator("tr.total td").first().textContent()).toBe("All groups");
    await shoot(laptop, "participation");
  });

  it("charts attendance once a session has check-ins, and shows the groups' structure tests", async () => {
    const prisma = h.app.db.prisma;
    const second = await prisma.session.findFirstOrThrow({ where: { index: 2 } });
    const lagos = await prisma.group.findFirstOrThrow({ where: { name: GROUPS[9][0] }, include: { members: true } });
    await prisma.checkIn.createMany({
      data: lagos.members.map((member) => ({ sessionId: second.id, memberId: member.id, groupId: lagos.id, checkedInAt: second.startsAt, late: false, recordedBy: "self" as const })),
    });
    await h.app.services.structureTests.record({ group: lagos, name: "Petition to the depot", participants: 75, unitSize: 100, by: lagos.members[0]! });
    await laptop.goto(`${h.base}/dashboard/participation?session=2`);
    expect(await laptop.locator(".note").count()).toBe(0);
    expect(await laptop.locator("figcaption.legend").textContent()).toBe("AttendedArrived on timeHomework submittedHomework on time");
    // Session 1 had no check-ins: a gap, not a zero bar (2 sessions × 4 series, less 2).
    expect(await laptop.locator("svg.chart rect.bar").count()).toBe(6);
    const lagosRow = laptop.locator("#structure-tests tr", { hasText: "Lagos Transport Workers" });
    expect(await lagosRow.locator("td").allTextContents()).toEqual(["Lagos Transport Workers", "Petition to the depot", "75 of 100 (75%)", "reached", expect.any(String)]);
    await shoot(laptop, "participation-check-ins");
  });

  it("shows a session's breakout rooms", async () => {
    await laptop.goto(`${h.base}/dashboard/breakouts?session=3`);
    const rooms = await h.app.db.prisma.breakoutRoom.count({ where: { round: { status: "published", session: { index: 3 } } } });
    expect(await laptop.locator("tbody tr").count()).toBe(rooms);
    expect(await laptop.locator("tbody").textContent()).toContain("fatima");
    await shoot(laptop, "breakouts");
  });

  it("shows an announcement's progress moving while it goes out, and why some failed", async () => {
    // Only the announcement is in the outbox: the seed's breakout notices are not what this watches.
    await h.app.db.prisma.delivery.updateMany({ where: { status: "pending" }, data: { status: "cancelled" } });
    await h.say("coordinator", "/announce draft Session 3 starts in five days: bring your power maps!");
    await h.say("coordinator", "/announce send");
    const announcement = (await h.app.db.prisma.announcement.findFirst({ orderBy: { id: "desc" } }))!;
    const total = await h.app.db.prisma.delivery.count({ where: { kind: "announcement" } });
    await laptop.goto(`${h.base}/dashboard/announcements`);
    await laptop.getByRole("link", { name: `#${announcement.id}` }).click();
    const progress = laptop.locator('[data-field="progress"]');
    expect(await progress.textContent()).toBe(`0%: 0 of ${total} channels done`);
    expect(await laptop.locator("[data-field-progress]").getAttribute("value")).toBe("0");

    // The Telegram groups get it first; the page follows without being reloaded.
    const telegram = new RecordingAdapter("telegram");
    h.app.dispatcher.addAdapter(telegram);
    await h.app.dispatcher.drain();
    const onTelegram = GROUPS.filter((group) => group[1] === "telegram").length;
    expect(telegram.sent).toHaveLength(onTelegram);
    await expect.poll(() => progress.textContent(), { timeout: 10_000 }).toBe(`${Math.round((onTelegram / total) * 100)}%: ${onTelegram} of ${total} channels done`);
    expect(Number(await laptop.locator("[data-field-progress]").evaluate((bar) => (bar as unknown as { value: number }).value))).toBe(onTelegram);
    await shoot(laptop, "announcement-sending");

    // Then Slack and Discord, where one channel has removed the bot.
    const slack = new RecordingAdapter("slack");
    const discord = new RecordingAdapter("discord");
    discord.failNext("permanent");
    h.app.dispatcher.addAdapter(slack);
    h.app.dispatcher.addAdapter(discord);
    await h.app.dispatcher.drain();
    await expect.poll(() => laptop.locator('[data-field="state"]').textContent(), { timeout: 10_000 }).toBe("done");
    expect(await progress.textContent()).toBe(`100%: ${total} of ${total} channels done`);
    expect(await laptop.locator('[data-field="count.failed"]').textContent()).toBe("failed 1");
    expect(await laptop.locator("[data-field-list=failures]").textContent()).toBe("1 × 403 Forbidden: bot was kicked");
    await shoot(laptop, "announcement");
  });

  it("reads well on a phone", async () => {
    const phone = await h.signedIn("coordinator", PHONE, { userLocale: "en" });
    for (const [page, name] of [["", "overview"], ["/groups", "groups"], ["/participation", "participation"]] as const) {
      await phone.goto(`${h.base}/dashboard${page}`);
      // Nothing but the tables' own scrolling boxes is wider than the screen.
      expect(await phone.locator("html").evaluate((root) => root.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await shoot(phone, `${name}-phone`);
    }
    await phone.close();
  });

  it("refuses a reused link, an expired link and a participant, and signs out", async () => {
    const browser = await h.browser();
    const page = await browser.newPage({ viewport: LAPTOP });
    const reused = await h.link("coordinator", { userLocale: "en" });
    await page.goto(reused);
    await shoot(page, "sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${h.base}/dashboard`);
    const stranger = await browser.newContext({ viewport: LAPTOP });
    const other = await stranger.newPage();
    await other.goto(reused);
    await other.getByRole("button", { name: "Sign in" }).click();
    expect(await other.locator("main").textContent()).toContain("This sign-in link is not valid, or it has already been used.");
    await shoot(other, "refused");

    const expired = await h.link("coordinator", { userLocale: "en" });
    h.clock.advance(LINK_LIFETIME_MS);
    await other.goto(expired);
    await other.getByRole("button", { name: "Sign in" }).click();
    expect(await other.locator("main").textContent()).toContain("This sign-in link has expired: links work for 10 minutes.");
    h.clock.set(h.clock.now().getTime() - LINK_LIFETIME_MS); // the calendar back: the sessions made next are fresh

    // A participant gets no link from the bot; one made while they were a facilitator is refused.
    expect(await h.say("p2", "/dashboard")).toMatch(/is for the facilitator role only/);
    const participant = (await h.app.db.prisma.member.findFirst({ where: { platformUserId: "p2" } }))!;
    const { url } = await h.app.services.dashboard.createLink(participant, "en", "Europe/Berlin");
    await other.goto(url);
    await other.getByRole("button", { name: "Sign in" }).click();
    expect(await other.locator("main").textContent()).toContain("The dashboard is for coordinators and facilitators only.");
    await other.goto(`${h.base}/dashboard/groups`);
    expect(await other.locator("main").textContent()).toContain("This page needs you to be signed in");
    expect(await other.locator("main").textContent()).not.toContain("Berlin Tenants Union");
    await stranger.close();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${h.base}/dashboard/signed-out`);
    await page.goto(`${h.base}/dashboard`);
    expect(await page.locator("main").textContent()).toContain("This page needs you to be signed in");
    await page.close();
  });
});
