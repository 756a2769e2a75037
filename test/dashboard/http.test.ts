// The dashboard over plain HTTP, as a browser without JavaScript (or an attacker) would use it:
// who gets what, the headers that keep pages safe, escaping, filters in the query string, exports.
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpServer } from "../../src/http/server.ts";
import { createLogger } from "../../src/logger.ts";
import { dashboardRoutes, SESSION_COOKIE } from "../../src/dashboard/routes.ts";
import { GROUPS, startDashboard, type Harness } from "./harness.ts";

const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

describe("dashboard over HTTP", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startDashboard();
  }, 180_000); // a fresh embedded database and a training's worth of data: slow on a busy machine
  afterAll(async () => {
    await h?.close();
  });

  const get = (path: string, cookie?: string) => fetch(`${h.base}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  const post = (path: string, body: string, cookie?: string) =>
    fetch(`${h.base}${path}`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) }, redirect: "manual" });
  const token = (link: string) => new URL(link).searchParams.get("token")!;

  /** Signs in with a fresh link and returns the session cookie as a browser would send it back. */
  async function session(user: string, extra = {}): Promise<string> {
    const response = await post("/dashboard/signin", `token=${token(await h.link(user, { userLocale: "en", ...extra }))}`);
    expect(response.status).toBe(303);
    return response.headers.get("set-cookie")!.split(";")[0]!;
  }
  const rows = (page: string) => [...page.matchAll(/<tr data-platform=/g)].length;

  it("shows nothing without a session: every page and export answers 401 with how to sign in", async () => {
    for (const path of ["/dashboard", "/dashboard/groups", "/dashboard/participation", "/dashboard/breakouts", "/dashboard/announcements", "/dashboard/export/groups.csv", "/dashboard/api/announcements/1"]) {
      const response = await get(path, `${SESSION_COOKIE}=${"x".repeat(43)}`);
      expect(response.status, path).toBe(401);
      const body = await response.text();
      expect(body).toContain("Send /dashboard to the bot in chat");
      expect(body).not.toContain("Berlin Tenants Union");
    }
  });

  it("sends a strict Content-Security-Policy and no-store with every answer, assets included", async () => {
    for (const response of [await get("/dashboard"), await get("/dashboard/assets/dashboard.js"), await get("/dashboard/assets/dashboard.css")]) {
      expect(response.headers.get("content-security-policy")).toBe(CSP);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
    }
    expect((await get("/dashboard/assets/other.js")).status).toBe(404);
  });

  it("does not use the link when it is merely opened (chat apps preview links); the button does", async () => {
    const link = await h.link("coordinator");
    const page = await get(new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<form method="post" action="/dashboard/signin"><input type="hidden" name="token" value="${token(link)}">`);
    const signIn = await post("/dashboard/signin", `token=${token(link)}`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("location")).toBe("/dashboard");
    expect(signIn.headers.get("set-cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=43200$`));
    const again = await post("/dashboard/signin", `token=${token(link)}`);
    expect(again.status).toBe(403);
    expect(await again.text()).toContain("This sign-in link is not valid, or it has already been used.");
  });

  it("refuses a sign-in or sign-out form posted from another site", async () => {
    const link = await h.link("coordinator", { userLocale: "en" });
    // fetch() sets Origin itself; a plain request carries the one another site's form would.
    const forged = await new Promise<{ status: number; cookie: string | undefined }>((resolve, reject) => {
      const body = `token=${token(link)}`;
      const request = httpRequest(`${h.base}/dashboard/signin`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), origin: "https://attacker.example" },
      });
      request.on("response", (response) => {
        response.resume();
        resolve({ status: response.statusCode!, cookie: response.headers["set-cookie"]?.[0] });
      });
      request.on("error", reject);
      request.end(body);
    });
    expect(forged.status).toBe(403);
    expect(forged.cookie).toBeUndefined();
    // The link itself is still good for its owner, from our own page.
    const own = await fetch(`${h.base}/dashboard/signin`, {
      method: "POST",
      body: `token=${token(link)}`,
      headers: { "content-type": "application/x-www-form-urlencoded", origin: h.base },
      redirect: "manual",
    });
    expect(own.status).toBe(303);
  });

  it("marks the cookie Secure when the dashboard is served over HTTPS", async () => {
    const server = new HttpServer(createLogger("silent"));
    server.mount("/dashboard", dashboardRoutes({ db: h.app.db.prisma, services: h.app.services, i18n: h.app.i18n, clock: h.clock, secure: true }));
    const port = await server.listen(0, "127.0.0.1");
    try {
      const response = await fetch(`http://127.0.0.1:${port}/dashboard/signin`, {
        method: "POST",
        body: `token=${token(await h.link("coordinator"))}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        redirect: "manual",
      });
      expect(response.headers.get("set-cookie")).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=43200; Secure$/);
    } finally {
      await server.close();
    }
  });

  it("escapes every value: a group named <script> is text", async () => {
    const cookie = await session("coordinator");
    for (const path of ["/dashboard/groups", "/dashboard/participation", "/dashboard/breakouts?session=3"]) {
      const page = await (await get(path, cookie)).text();
      expect(page, path).toContain("&#60;script&#62;alert(1)&#60;/script&#62;");
      expect(page, path).not.toContain("<script>alert(1)");
      // The only script is our own file.
      expect([...page.matchAll(/<script\b[^>]*>/g)].map((match) => match[0])).toEqual(['<script src="/dashboard/assets/dashboard.js" defer>']);
    }
  });

  it("filters and sorts groups from the query string, without JavaScript", async () => {
    const cookie = await session("coordinator");
    expect(rows(await (await get("/dashboard/groups", cookie)).text())).toBe(GROUPS.length);
    expect(rows(await (await get("/dashboard/groups?platform=slack", cookie)).text())).toBe(GROUPS.filter((group) => group[1] === "slack").length);
    expect(rows(await (await get("/dashboard/groups?language=es&country=Mexico", cookie)).text())).toBe(1);
    const unreachable = await (await get("/dashboard/groups?reachable=no", cookie)).text();
    expect(rows(unreachable)).toBe(1);
    expect(unreachable).toContain("Rider Milano");
    const sorted = await (await get("/dashboard/groups?sort=members&dir=desc", cookie)).text();
    expect(sorted.indexOf("Sindicato de Inquilinas Madrid")).toBeLessThan(sorted.indexOf("Chicago Teachers Caucus"));
    expect(sorted.indexOf("Chicago Teachers Caucus")).toBeLessThan(sorted.indexOf("Manila Call Centre Organizers"));
    // Nonsense in the query is ignored, not an error.
    expect((await get("/dashboard/groups?sort=%3Cx%3E&reachable=maybe", cookie)).status).toBe(200);
  });

  it("counts homework per session and group: submitted and on time, of the group's members", async () => {
    const cookie = await session("coordinator");
    const prisma = h.app.db.prisma;
    const members = await prisma.member.count({ where: { groupId: { not: null } } });
    const submitted = await prisma.homeworkSubmission.count({ where: { assignment: { session: { index: 1 } } } });
    const onTime = await prisma.homeworkSubmission.count({ where: { assignment: { session: { index: 1 } }, late: false } });
    const page = await (await get("/dashboard/participation?session=1", cookie)).text();
    const total = /<tr class="total">(.*?)<\/tr>/s.exec(page)![1]!;
    expect([...total.matchAll(/(\d+)%<\/td>/g)].map((match) => Number(match[1]))).toEqual([Math.round((submitted / members) * 100), Math.round((onTime / members) * 100)]);
    expect(page).toContain("Attendance appears once check-ins are recorded");
  });

  it("takes attendance and arriving on time from the check-ins, and shows each group's latest structure test to those who may see it", async () => {
    const prisma = h.app.db.prisma;
    const second = await prisma.session.findFirstOrThrow({ where: { index: 2 } });
    const group = (name: string) => prisma.group.findFirstOrThrow({ where: { name }, include: { members: { orderBy: { id: "asc" } } } });
    const berlin = await group(GROUPS[0][0]);
    const lagos = await group(GROUPS[9][0]);
    const checkIn = (member: { id: number; groupId: number | null }, late: boolean, present = true) =>
      ({ sessionId: second.id, memberId: member.id, groupId: member.groupId!, checkedInAt: second.startsAt, late, present, recordedBy: "self" as const });
    // Berlin: 7 of 14 there, 2 of them late, and one corrected to absent; Lagos: all 15, on time.
    await prisma.checkIn.createMany({
      data: [...berlin.members.slice(0, 7).map((member, order) => checkIn(member, order < 2)), checkIn(berlin.members[7]!, false, false), ...lagos.members.map((member) => checkIn(member, false))],
    });
    const lead = berlin.members[0]!;
    await h.app.services.structureTests.record({ group: berlin, name: "Rent strike pledge", participants: 80, unitSize: 100, by: lead });
    await h.app.services.structureTests.record({ group: lagos, name: "Petition to the depot", participants: 30, unitSize: 100, by: lagos.members[0]! });
    const figures = (row: string) => [...row.matchAll(/(\d+)%<\/td>/g)].map((match) => Number(match[1]));
    const groupRow = (page: string, name: string) => new RegExp(`<tr><td data-value="${name}">(.*?)</tr>`, "s").exec(page)![1]!;

    const coordinator = await session("coordinator");
    const page = await (await get("/dashboard/participation?session=2", coordinator)).text();
    const members = await prisma.member.count({ where: { groupId: { not: null } } });
    const submitted = await prisma.homeworkSubmission.count({ where: { assignment: { sessionId: second.id } } });
    const onTime = await prisma.homeworkSubmission.count({ where: { assignment: { sessionId: second.id }, late: false } });
    const share = (part: number, whole: number) => Math.round((part / whole) * 100);
    expect(page).not.toContain("Attendance appears once check-ins are recorded");
    expect(figures(/<tr class="total">(.*?)<\/tr>/s.exec(page)![1]!)).toEqual([share(22, members), share(20, members), share(submitted, members), share(onTime, members)]);
    expect(figures(groupRow(page, "Berlin Tenants Union")).slice(0, 2)).toEqual([share(7, 14), share(5, 14)]);
    expect(figures(groupRow(page, "Lagos Transport Workers")).slice(0, 2)).toEqual([100, 100]);
    expect(figures(groupRow(page, "Rider Milano")).slice(0, 2)).toEqual([0, 0]);
    // A session nobody checked in to still says where its figures come from.
    expect(await (await get("/dashboard/participation?session=1", coordinator)).text()).toContain("Attendance appears once check-ins are recorded");
    const tests = /<section class="panel" id="structure-tests">(.*?)<\/section>/s.exec(page)![1]!;
    expect(tests).toContain("at least 70% of the unit");
    expect(tests).toMatch(/<tr data-reached="yes"><td data-value="Berlin Tenants Union">.*?Rent strike pledge.*?80 of 100 \(80%\).*?reached/s);
    expect(tests).toMatch(/<tr data-reached="no"><td data-value="Lagos Transport Workers">.*?Petition to the depot.*?not reached/s);

    const facilitator = await session("fatima");
    const theirs = await (await get("/dashboard/participation?session=2", facilitator)).text();
    expect(figures(/<tr class="total">(.*?)<\/tr>/s.exec(theirs)![1]!).slice(0, 2)).toEqual([share(7, 14 + 9), share(5, 14 + 9)]);
    expect(theirs).toContain("Rent strike pledge");
    expect(theirs).not.toContain("Lagos Transport Workers");
    expect(theirs).not.toContain("Petition to the depot");
    expect(theirs).toMatch(/<td data-value="Hamburg Care Workers">Hamburg Care Workers<\/td><td class="muted">no test yet/);
  });

  it("names sessions in the reader's language", async () => {
    await h.app.db.prisma.session.updateMany({ where: { index: 2 }, data: { titleTranslations: { de: "Eins-zu-eins-Gespräche" } } });
    const german = await (await get("/dashboard/participation", await session("coordinator", { userLocale: "de" }))).text();
    expect(german).toContain("Sitzung 2: Eins-zu-eins-Gespräche");
    expect(await (await get("/dashboard/participation", await session("coordinator"))).text()).toContain("One-on-ones");
  });

  it("speaks the coordinator's language, with times in their zone", async () => {
    const cookie = await session("coordinator", { userLocale: "de" });
    const page = await (await get("/dashboard", cookie)).text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain("registrierte Gruppen");
    expect(page).toContain("In 5 Tagen");
    expect(page).toContain("21. Mai 2030");
    expect(page).toContain("Zeiten werden in Europe/Berlin angezeigt.");
  });

  it("shows a facilitator only their groups, and no announcements", async () => {
    const cookie = await session("fatima");
    const groups = await (await get("/dashboard/groups", cookie)).text();
    expect(rows(groups)).toBe(2);
    expect(groups).toContain("Berlin Tenants Union");
    expect(groups).not.toContain("Lagos Transport Workers");
    expect(await (await get("/dashboard", cookie)).text()).toMatch(/data-testid="groups">2</);
    const participation = await (await get("/dashboard/participation", cookie)).text();
    expect(participation).not.toContain("Rider Milano");
    expect((await get("/dashboard/announcements", cookie)).status).toBe(404);
    expect((await get("/dashboard/api/announcements/1", cookie)).status).toBe(404);
    const csv = await (await get("/dashboard/export/groups.csv", cookie)).text();
    expect(csv.trim().split("\r\n")).toHaveLength(3);
    const homework = await (await get("/dashboard/export/homework.csv?session=1", cookie)).text();
    const groupsInHomework = new Set(homework.trim().split("\r\n").slice(1).map((line) => line.split(",")[2]));
    expect(groupsInHomework).toEqual(new Set(["Berlin Tenants Union", "Hamburg Care Workers"]));
  });

  it("exports the groups as filtered and a session's homework, the files /homework export makes", async () => {
    const cookie = await session("coordinator");
    const groups = await get("/dashboard/export/groups.csv?platform=discord", cookie);
    expect(groups.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(groups.headers.get("content-disposition")).toBe('attachment; filename="groups-spring-2030.csv"');
    const lines = (await groups.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Name,Platform,Language,Time zone,Country,Members,Lead,Reachable,Organization");
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["Chicago Teachers Caucus", "Rider Milano", "Trabajadoras del Hogar CDMX"]);
    const homework = await get("/dashboard/export/homework.csv?session=2", cookie);
    expect(homework.headers.get("content-disposition")).toBe('attachment; filename="homework-spring-2030-session-2.csv"');
    const submissions = await h.app.db.prisma.homeworkSubmission.count({ where: { assignment: { session: { index: 2 } } } });
    expect((await homework.text()).trim().split("\r\n")).toHaveLength(submissions + 1);
    expect((await get("/dashboard/export/homework.csv?session=4", cookie)).status).toBe(404);
  });

  it("ends the session on sign-out (a POST), after which the cookie opens nothing", async () => {
    const cookie = await session("coordinator");
    expect((await get("/dashboard", cookie)).status).toBe(200);
    expect((await get("/dashboard/signout", cookie)).status).toBe(404);
    const signOut = await post("/dashboard/signout", "", cookie);
    expect(signOut.status).toBe(303);
    expect(signOut.headers.get("location")).toBe("/dashboard/signed-out");
    expect(signOut.headers.get("set-cookie")).toContain(`${SESSION_COOKIE}=; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=0`);
    expect((await get("/dashboard", cookie)).status).toBe(401);
  });
});
