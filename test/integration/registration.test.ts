// Registration, joining, roles and their refusals through the whole pipeline, on PGlite and
// (when DATABASE_URL is set) on PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.ts";
import { createTestBot, type TestBot } from "../helpers/bot.ts";

describe.each(backends)("registration on %s", (backend) => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await createTestBot(backend);
  });
  beforeEach(async () => {
    await bot.reset();
  });
  afterAll(async () => {
    await bot.close();
  });

  async function snapshot() {
    const prisma = bot.db.prisma;
    return {
      groups: await prisma.group.findMany({ orderBy: { id: "asc" } }),
      channels: await prisma.channel.findMany({ orderBy: { id: "asc" } }),
      // Someone's first command records that they exist; what they belong to and may do is the state.
      members: await prisma.member.findMany({
        where: { OR: [{ groupId: { not: null } }, { role: { not: "participant" } }] },
        orderBy: { id: "asc" },
        select: { platformUserId: true, groupId: true, isLead: true, role: true },
      }),
      audit: await prisma.auditEntry.count(),
    };
  }

  it("registers a group in a channel with the caller as lead, and members join and leave", async () => {
    const reply = await bot.say("ana", "kreuzberg", "/register Tenants of Kreuzberg org=\"Berlin Tenants\" country=DE language=de tz=Berlin");
    expect(reply).toContain("Tenants of Kreuzberg");
    const group = await bot.db.prisma.group.findFirstOrThrow();
    expect(group).toMatchObject({ name: "Tenants of Kreuzberg", organization: "Berlin Tenants", country: "DE", locale: "de", timezone: "Europe/Berlin" });
    const ana = await bot.db.prisma.member.findFirstOrThrow({ where: { platformUserId: "ana" } });
    expect(ana).toMatchObject({ groupId: group.id, isLead: true });

    expect(await bot.say("ben", "kreuzberg", "/join")).toContain("ben");
    expect(await bot.say("ben", "kreuzberg", "/join")).toMatch(/schon Mitglied/); // the group's language
    expect(await bot.db.prisma.member.count({ where: { groupId: group.id } })).toBe(2);

    const whoami = await bot.say("ben", "kreuzberg", "/whoami");
    expect(whoami).toContain("Tenants of Kreuzberg");
    expect(whoami).toContain("Europe/Berlin");

    await bot.say("ben", "kreuzberg", "/leave");
    expect(await bot.db.prisma.member.count({ where: { groupId: group.id } })).toBe(1);
  });

  it.each([
    ["Korea", "KR"],
    ["Südkorea", "KR"],
    ["usa", "US"],
    ["Royaume-Uni", "GB"],
    ["côte d'ivoire", "CI"],
    ["de", "DE"],
  ])("stores country=%s as its ISO code %s", async (typed, code) => {
    await bot.say("ana", "c1", `/register Group One country="${typed}"`);
    expect((await bot.db.prisma.group.findFirstOrThrow()).country).toBe(code);
  });

  it("answers in the group's language unless the user's own language is known", async () => {
    await bot.say("ana", "lyon", "/register Locataires de Lyon language=fr");
    expect(await bot.say("ben", "lyon", "/join")).toMatch(/a rejoint/);
    expect(await bot.say("cem", "lyon", "/join", { userLocale: "es-MX" })).toMatch(/se unió/);
  });

  it.each([
    ["a duplicate name (any case and spacing)", "/register  group   ONE", /already registered/],
    ["a channel that is already bound", "/register Another Name", /already registered for the group/],
  ])("refuses %s and changes nothing", async (_case, line, message) => {
    await bot.say("ana", "c1", "/register Group One");
    const before = await snapshot();
    const channel = line.includes("Another") ? "c1" : "c2";
    expect(await bot.say("zoe", channel, line)).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["an unknown language, suggesting the closest", "/register Group G lang=Franch", /Did you mean fr\?/],
    ["an unknown language, listing ours", "/register Group G lang=klingon", /I speak: en \(English\)/],
    ["an unknown time zone, suggesting the closest", "/register Group G tz=Europe/Berlinn", /Did you mean Europe\/Berlin/],
    ["an over-long name", `/register ${"x".repeat(81)}`, /Too long: Your group's name \(81 characters; at most 80\)/],
    ["control characters in the name", "/register Bad\u0007Name", /control characters/],
    ["a bidirectional override in the name", "/register Bad\u202EName", /control characters/],
    ["a missing name", "/register", /Missing: Your group's name/],
    ["an unknown option", "/register Group G colour=red", /don't know the option “colour”/],
    ["an option given twice", "/register Group G country=DE country=FR", /option country= is given twice/],
    ["a country it can't place, suggesting the closest", "/register Group G country=Germny", /I don't know the country “Germny”\. Did you mean Germany \(DE\)\?/],
    ["a country it can't place at all", "/register Group G country=Atlantis", /I don't know the country “Atlantis”\. Write its name/],
    ["an over-long message", `/register ${"y".repeat(20_000)}`, /too long: I read at most 16,000 characters per command/],
  ])("refuses %s and changes nothing", async (_case, line, message) => {
    const before = await snapshot();
    expect(await bot.say("ana", "c1", line)).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses registration after the deadline, saying when it closed", async () => {
    bot.clock.set("2030-05-13T08:00:00Z");
    const before = await snapshot();
    expect(await bot.say("ana", "c1", "/register Late Group")).toMatch(/Registration closed on .*2030/);
    expect(await snapshot()).toEqual(before);
  });

  it("says so when no program is loaded", async () => {
    const empty = await createTestBot(backend, { program: null });
    try {
      expect(await empty.say("ana", "c1", "/register Group G")).toMatch(/No program/);
    } finally {
      await empty.close();
    }
  });

  it("lets the lead and coordinators set language and zone, with suggestions for typos", async () => {
    await bot.say("ana", "c1", "/register Group One");
    expect(await bot.say("ana", "c1", "/language español")).toMatch(/español/);
    expect(await bot.db.prisma.group.findFirstOrThrow()).toMatchObject({ locale: "es" });
    expect(await bot.say("ana", "c1", "/timezone Sao Paulo")).toMatch(/America\/Sao_Paulo/);
    expect(await bot.say("ana", "c1", "/timezone Tokio")).toMatch(/Asia\/Tokyo/);
    expect(await bot.db.prisma.group.findFirstOrThrow()).toMatchObject({ timezone: "America/Sao_Paulo" });
    expect(await bot.say("coordinator", "c1", "/timezone Asia/Tokyo")).toMatch(/Asia\/Tokyo/);
  });

  it("lets a coordinator grant and revoke roles, each written to the audit log", async () => {
    await bot.say("ben", "c1", "/whoami");
    expect(await bot.say("coordinator", "hq", "/grant ben facilitator")).toMatch(/ben is now a facilitator/);
    expect((await bot.db.prisma.member.findFirstOrThrow({ where: { platformUserId: "ben" } })).role).toBe("facilitator");
    expect(await bot.say("coordinator", "hq", "/revoke @ben")).toMatch(/no longer/);
    const audit = await bot.db.prisma.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(audit.map((entry) => entry.action)).toEqual(["role.granted", "role.revoked"]);
    expect(audit[0]!.details).toMatchObject({ role: "facilitator", previous: "participant" });
  });

  it("grants a role in advance by platform id; it applies when they first write, and /revoke takes it back before", async () => {
    expect(await bot.say("coordinator", "hq", "/grant telegram:12345 facilitator")).toBe(
      "telegram:12345 hasn't written to me yet, so the facilitator role is granted in advance: it applies when they first write to the bot (/start or any command). /revoke telegram:12345 takes it back.",
    );
    expect(await bot.say("coordinator", "hq", "/grant console:fiona facilitator")).toMatch(/granted in advance/);
    expect(await bot.say("coordinator", "hq", "/revoke telegram:12345")).toBe("12345 is no longer a facilitator.");
    expect(await bot.say("fiona", "facil", "/bind facilitators")).toBe("This is now a facilitators' channel: /homework list, review and export work here.");
    expect(await bot.say("fiona", "facil", "/whoami")).toMatch(/Role: facilitator/);
    const audit = await bot.db.prisma.auditEntry.findMany({ where: { action: { startsWith: "role." } }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => [entry.action, entry.details])).toEqual([
      ["role.granted", { role: "facilitator", previous: "participant", inAdvance: true }],
      ["role.granted", { role: "facilitator", previous: "participant", inAdvance: true }],
      ["role.revoked", { previous: "facilitator" }],
    ]);
    expect(await bot.db.prisma.member.findFirstOrThrow({ where: { platformUserId: "12345" } })).toMatchObject({ role: "participant" });
  });

  it("refuses grants for unknown people and revoking a configured coordinator", async () => {
    expect(await bot.say("coordinator", "hq", "/grant nobody facilitator")).toMatch(/don't know anyone called “nobody”/);
    expect(await bot.say("coordinator", "hq", "/grant telegram:@fiona facilitator")).toMatch(/don't know anyone called “telegram:@fiona”/);
    expect(await bot.say("coordinator", "hq", "/grant myspace:12345 facilitator")).toMatch(/don't know/);
    await bot.say("other", "hq", "/whoami");
    await bot.say("coordinator", "hq", "/grant other coordinator");
    expect(await bot.say("other", "hq", "/revoke coordinator")).toMatch(/configuration/);
  });

  it("lists only the commands the caller may use", async () => {
    const participantHelp = await bot.say("ben", "c1", "/help");
    expect(participantHelp).toContain("/register");
    expect(participantHelp).not.toContain("/grant");
    const coordinatorHelp = await bot.say("coordinator", "c1", "/help");
    expect(coordinatorHelp).toContain("/grant");
  });

  it("suggests the closest command for a typo", async () => {
    expect(await bot.say("ben", "c1", "/regster G")).toContain("/register");
  });
});
