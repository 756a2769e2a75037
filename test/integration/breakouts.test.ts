// Breakout rooms through the real pipeline, services and database (PGlite, and PostgreSQL when
// DATABASE_URL is set): facilitators declare what they lead, a coordinator generates a proposal
// and publishes it, every group channel gets its people's rooms through the outbox in its own
// language, a change goes out as a correction only to the groups it changes, and people look up
// their room. Permissions and bad input change nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { backends } from "../helpers/database.ts";
import { createTestBot, TEST_PROGRAM, type TestBot } from "../helpers/bot.ts";
import { RecordingAdapter } from "../helpers/recording-adapter.ts";

const BERLIN = ["ana", "ben", "carla", "dora", "emil", "frida"];
const MADRID = ["luis", "maria", "nuria", "oscar", "pablo", "quim"];
const SESSION_1_END = Date.parse("2030-05-14T17:00:00Z");

describe.each(backends)("breakouts on %s", (backend) => {
  let bot: TestBot;
  let adapter: RecordingAdapter;
  beforeAll(async () => {
    adapter = new RecordingAdapter();
    bot = await createTestBot(backend, { adapters: [adapter] });
  });
  beforeEach(async () => {
    await bot.reset();
    adapter.reset();
  });
  afterAll(async () => {
    await bot.close();
  });

  const say = (user: string, channel: string, line: string) => bot.say(user, channel, line);
  const coordinator = (line: string) => say("coordinator", "staff", line);

  async function group(channel: string, name: string, language: string, people: readonly string[]) {
    await say(people[0]!, channel, `/register ${name} language=${language}`);
    for (const person of people.slice(1)) await say(person, channel, "/join");
  }

  /** A facilitator with a video link for each room they offer (rooms of a session run at the same time). */
  async function facilitator(name: string, languages: string, capacity: number) {
    await say(name, "staff", "/whoami");
    await coordinator(`/grant ${name} facilitator`);
    const declared = await say(name, "staff", `/facilitator languages ${languages} capacity=${capacity}`);
    if (capacity < 2) return declared;
    return say(name, "staff", `/facilitator link ${Array.from({ length: capacity }, (_, room) => linkOf(name, room + 1)).join(" ")}`);
  }
  const linkOf = (name: string, room: number) => `https://meet.example.org/${name}-${room}`;

  /** Two groups in two languages, each with a facilitator: everything feasible. */
  async function twoGroups() {
    await group("berlin", "Berlin Tenants", "de", BERLIN);
    await group("madrid", "Madrid Inquilinas", "es", MADRID);
    await facilitator("fiona", "de", 2);
    await facilitator("felipe", "es,en", 2);
  }

  const rounds = () => bot.db.prisma.breakoutRound.findMany({ orderBy: { id: "asc" } });
  /** The proposal's rooms as [facilitator, link, people], in room order. */
  const ledRooms = async () =>
    (
      await bot.db.prisma.breakoutRoom.findMany({
        where: { round: { status: "proposal" } },
        include: { facilitator: true, _count: { select: { seats: true } } },
        orderBy: { number: "asc" },
      })
    ).map((room) => [room.facilitator?.displayName ?? null, room.meetingUrl, room._count.seats]);
  const deliveries = () => bot.db.prisma.delivery.findMany({ orderBy: { id: "asc" }, include: { channel: true } });
  const roomOf = async (user: string) => {
    const seat = await bot.db.prisma.breakoutSeat.findFirst({
      where: { member: { platformUserId: user }, room: { round: { status: "published" } } },
      include: { room: true },
    });
    return seat?.room.number;
  };

  describe("facilitators", () => {
    it("declare their languages by code or name, capacity and link, and see them", async () => {
      await say("fiona", "staff", "/whoami");
      await coordinator("/grant fiona facilitator");
      expect(await say("fiona", "staff", "/facilitator")).toMatch(/haven't said which languages/);
      expect(await say("fiona", "staff", "/facilitator languages Deutsch, en, Español capacity=3")).toMatch(
        /Leads rooms in: German, English, Spanish\n• Up to 3 rooms per session/,
      );
      // Capacity stays when only the languages change.
      expect(await say("fiona", "staff", "/facilitator languages en")).toMatch(/Leads rooms in: English\n• Up to 3 rooms per session/);
      expect(await say("fiona", "staff", "/facilitator link https://meet.example.org/fiona?pwd=x1")).toMatch(
        /Up to 3 rooms per session\n• The rooms of a session run at the same time, so you lead 1 room at a time: one per video link\. To lead more, give a link for each room: \/facilitator link <url> <url>\n• Video room: https:\/\/meet\.example\.org\/fiona\?pwd=x1$/,
      );
      // One link per room she leads at the same time; the same link twice counts once.
      expect(await say("fiona", "staff", "/facilitator link https://meet.example.org/a https://meet.example.org/b https://meet.example.org/a")).toMatch(
        /Up to 3 rooms per session\n• [^\n]*you lead up to 2 rooms at a time[^\n]*\n• Video rooms \(2\): https:\/\/meet\.example\.org\/a · https:\/\/meet\.example\.org\/b$/,
      );
      expect(await say("fiona", "staff", "/facilitator link https://meet.example.org/a https://meet.example.org/b https://meet.example.org/c")).toMatch(
        /Up to 3 rooms per session\n• Video rooms \(3\): /,
      );
      expect(await say("fiona", "staff", "/facilitator link off")).toMatch(/No video room link/);
      expect(await say("fiona", "staff", "/facilitator languages en capacity=0")).toMatch(/Not leading rooms for now/);
      const profile = await bot.db.prisma.facilitatorProfile.findFirstOrThrow();
      expect(profile).toMatchObject({ languages: ["en"], capacity: 0, meetingUrls: [] });
    });

    it("get clear errors for a language, capacity or link we can't use, and nothing changes", async () => {
      await facilitator("fiona", "de", 1);
      const before = await bot.db.prisma.facilitatorProfile.findFirstOrThrow();
      expect(await say("fiona", "staff", "/facilitator languages de klingon")).toMatch(/I don't know the language “klingon”/);
      expect(await say("fiona", "staff", "/facilitator languages de capacity=99")).toMatch(/must be at most 20/);
      expect(await say("fiona", "staff", "/facilitator link javascript:alert(1)")).toMatch(/is not a link I can give out/);
      expect(await say("fiona", "staff", "/facilitator link ftp://example.org")).toMatch(/is not a link I can give out/);
      expect(await say("fiona", "staff", "/facilitator link https://meet.example.org/ok ftp://example.org")).toMatch(/“ftp:\/\/example\.org” is not a link I can give out/);
      const many = Array.from({ length: 21 }, (_, room) => linkOf("fiona", room)).join(" ");
      expect(await say("fiona", "staff", `/facilitator link ${many}`)).toMatch(/Please give at most 20 links, one for each room you lead at the same time\./);
      expect(await bot.db.prisma.facilitatorProfile.findFirstOrThrow()).toEqual(before);
    });

    it("must declare languages before a link", async () => {
      await say("fiona", "staff", "/whoami");
      await coordinator("/grant fiona facilitator");
      expect(await say("fiona", "staff", "/facilitator link https://meet.example.org/f")).toMatch(/haven't said which languages/);
    });
  });

  describe("generate", () => {
    it("proposes rooms within each language, led by a facilitator who speaks it, and says how to publish", async () => {
      await twoGroups();
      const summary = await coordinator("/breakouts generate 1 size=3");
      expect(summary).toContain("Breakout proposal for session 1, “First”");
      expect(summary).toContain("4 rooms for 12 people · groups mixed · rooms of 3 · seed 1");
      expect(summary).toMatch(/German — people: 6 · rooms: 2 \(size 3\) · facilitators: 1 leading, 1 speak it/);
      expect(summary).toMatch(/Room 1 · German — facilitator: fiona — 3 people/);
      expect(summary).toMatch(/Room 4 · Spanish — facilitator: felipe — 3 people/);
      expect(summary).toMatch(/✓ 1\. Every room has a facilitator/);
      expect(summary).toMatch(/✓ 2\. Rooms of about 3/);
      expect(summary).toMatch(/0 of 12 pairs of room-mates already shared a room/);
      expect(summary).not.toMatch(/Problems/);
      expect(summary).toMatch(/To send the rooms to the groups: \/breakouts publish 1$/);

      const rooms = await bot.db.prisma.breakoutRoom.findMany({ include: { seats: { include: { member: true } }, facilitator: true }, orderBy: { number: "asc" } });
      expect(rooms.map((room) => [room.language, room.facilitator?.displayName, room.seats.length])).toEqual([
        ["de", "fiona", 3],
        ["de", "fiona", 3],
        ["es", "felipe", 3],
        ["es", "felipe", 3],
      ]);
      expect(rooms.slice(0, 2).flatMap((room) => room.seats.map((seat) => seat.member.displayName)).sort()).toEqual([...BERLIN].sort());
      expect(await deliveries()).toEqual([]); // nothing is sent before publishing
    });

    it("is deterministic for the same people and seed; another seed may give other rooms; generating again replaces the proposal", async () => {
      await group("berlin", "Berlin Tenants", "de", BERLIN);
      await group("potsdam", "Potsdam Renters", "de", ["gustav", "hanna", "ida", "jonas", "karl", "lena"]);
      await facilitator("fiona", "de", 4);
      const seated = async () =>
        (await bot.db.prisma.breakoutRoom.findMany({ include: { seats: true }, orderBy: { number: "asc" } })).map((room) =>
          room.seats.map((seat) => seat.memberId).sort((a, b) => a - b),
        );
      await coordinator("/breakouts generate 1 size=3 seed=7");
      const first = await seated();
      expect(await coordinator("/breakouts generate 1 size=3 seed=7")).toContain("This replaces the earlier proposal.");
      expect(await seated()).toEqual(first);
      const others = [];
      for (const seed of [8, 9, 10]) {
        await coordinator(`/breakouts generate 1 size=3 seed=${seed}`);
        others.push(await seated());
      }
      expect(others.some((rooms) => JSON.stringify(rooms) !== JSON.stringify(first))).toBe(true);
      expect((await rounds()).map((round) => round.status)).toEqual(["proposal"]);
    });

    it("keep mode keeps each group together where it fits a room", async () => {
      await group("berlin", "Berlin Tenants", "de", BERLIN.slice(0, 4));
      await group("potsdam", "Potsdam Renters", "de", ["gustav", "hanna", "ida", "jonas"]);
      await facilitator("fiona", "de", 2);
      expect(await coordinator("/breakouts generate 1 size=4 mode=keep")).toMatch(/groups kept together.*\n[\s\S]*✓ 3\. Each group stays together/);
      const rooms = await bot.db.prisma.breakoutRoom.findMany({ include: { seats: true } });
      for (const room of rooms) expect(new Set(room.seats.map((seat) => seat.groupId)).size).toBe(1);
      await coordinator("/breakouts generate 1 size=4 mode=mix");
      const mixed = await bot.db.prisma.breakoutRoom.findMany({ include: { seats: true } });
      for (const room of mixed) expect(new Set(room.seats.map((seat) => seat.groupId)).size).toBe(2);
    });

    it("keep mode notes a group it had to split, with its rooms, without blocking publishing", async () => {
      // 3 + 3 + 2 people in two rooms of 4: one group can't stay whole.
      await group("berlin", "Berlin Tenants", "de", BERLIN.slice(0, 3));
      await group("potsdam", "Potsdam Renters", "de", ["gustav", "hanna", "ida"]);
      await group("leipzig", "Leipzig Renters", "de", ["jonas", "karl"]);
      await facilitator("fiona", "de", 2);
      const summary = await coordinator("/breakouts generate 1 size=4 mode=keep");
      expect(summary).toMatch(/✗ 3\. Each group stays together/);
      expect(summary).toMatch(/Notes\n• “(Berlin Tenants|Potsdam Renters|Leipzig Renters)” \([23] people\) is split over rooms 1, 2, though 1 would be enough\./);
      expect(summary).not.toMatch(/Problems/);
      expect(summary).toMatch(/To send the rooms to the groups: \/breakouts publish 1$/);
    });

    it("uses the program file's size and mode, and its facilitators", async () => {
      const program = `${TEST_PROGRAM}
breakouts:
  roomSize: 3
  mode: keep
  facilitators:
    - { user: "console:fiona", name: "Fiona Weber", languages: [de, en], capacity: 2, links: ["https://meet.example.org/fiona", "https://meet.example.org/fiona-2"] }
`;
      await bot.app.services.programs.import((await import("../../src/programs/program-file.ts")).parseProgramText(program), { activate: true });
      await group("berlin", "Berlin Tenants", "de", BERLIN);
      const summary = await coordinator("/breakouts generate 1");
      expect(summary).toContain("2 rooms for 6 people · groups kept together · rooms of 3");
      expect(summary).toMatch(/Room 1 · German — facilitator: Fiona Weber/);
      const fiona = await bot.db.prisma.member.findFirstOrThrow({ where: { platformUserId: "fiona" }, include: { facilitatorProfile: true } });
      expect(fiona.role).toBe("facilitator");
      expect(fiona.facilitatorProfile).toMatchObject({ languages: ["de", "en"], capacity: 2 });
      expect((await bot.db.prisma.breakoutRoom.findMany({ orderBy: { number: "asc" } })).map((room) => room.meetingUrl)).toEqual([
        "https://meet.example.org/fiona",
        "https://meet.example.org/fiona-2",
      ]);
      // Once she talks to the bot, her own name replaces the file's.
      await say("fiona", "staff", "/facilitator");
      expect(await coordinator("/breakouts generate 1")).toMatch(/facilitator: fiona/);
    });

    it("never seats a facilitator in two rooms of a session with the same link: one room per link, and the summary says why", async () => {
      await group("berlin", "Berlin Tenants", "de", BERLIN);
      await facilitator("fiona", "de", 1);
      await say("fiona", "staff", "/facilitator languages de capacity=2");
      await say("fiona", "staff", "/facilitator link https://meet.example.org/fiona");
      const summary = await coordinator("/breakouts generate 1 size=3");
      expect(await ledRooms()).toEqual([["fiona", "https://meet.example.org/fiona", 6]]);
      expect(summary).toMatch(/German: rooms of 3 would need 2 facilitators, but only 1 is free, so room 1 has 6 people\./);
      expect(summary).toMatch(
        /Notes\n• 1 facilitator offers more rooms than they have video links, so they lead only one room per link \(the rooms of a session run at the same time\): fiona \(1 instead of 2\)\. One link per room: \/facilitator link <url> <url>/,
      );
      // Publishing, which needs confirmation for the larger room, explains it too.
      expect(await coordinator("/breakouts publish 1")).toMatch(/Notes\n• 1 facilitator offers more rooms than they have video links/);

      // Without any link she leads one room too (a room without a link).
      await say("fiona", "staff", "/facilitator link off");
      await coordinator("/breakouts generate 1 size=3");
      expect(await ledRooms()).toEqual([["fiona", null, 6]]);

      // A link for each room: two rooms at the same time, each with its own link, and nothing to note.
      await say("fiona", "staff", "/facilitator link https://meet.example.org/fiona https://meet.example.org/fiona-2");
      const again = await coordinator("/breakouts generate 1 size=3");
      expect(await ledRooms()).toEqual([
        ["fiona", "https://meet.example.org/fiona", 3],
        ["fiona", "https://meet.example.org/fiona-2", 3],
      ]);
      expect(again).not.toMatch(/Problems|Notes/);
      await coordinator("/breakouts publish 1");
      await bot.app.dispatcher.drain();
      expect(adapter.to("berlin")[0]!.text).toMatch(/Raum 1 · Deutsch \(Moderation: fiona\): [^·]+ · Zum Raum \(https:\/\/meet\.example\.org\/fiona\)\n• Raum 2 · Deutsch \(Moderation: fiona\): [^·]+ · Zum Raum \(https:\/\/meet\.example\.org\/fiona-2\)/);
    });

    it("places a bilingual person in their second language when their group's has no facilitator", async () => {
      await group("berlin", "Berlin Tenants", "de", BERLIN);
      await say("kim", "seoul", "/register Seoul Union language=ko");
      // Kim's platform reports German: she can join a German room.
      await say("kim", "seoul", "/whoami", );
      await bot.db.prisma.member.updateMany({ where: { platformUserId: "kim" }, data: { locale: "de" } });
      await facilitator("fiona", "de", 2);
      const summary = await coordinator("/breakouts generate 1 size=4");
      expect(summary).not.toMatch(/Problems/);
      const rooms = await bot.db.prisma.breakoutRoom.findMany({ include: { seats: { include: { member: true } } } });
      expect(rooms.every((room) => room.language === "de")).toBe(true);
      expect(rooms.flatMap((room) => room.seats.map((seat) => seat.member.displayName))).toContain("kim");
    });

    it("says exactly where and why a rule is broken: no facilitator for a language, too few facilitators, a group too small", async () => {
      await twoGroups();
      await group("seoul", "Seoul Union", "ko", ["kim", "lee", "park"]);
      const summary = await coordinator("/breakouts generate 1 size=3");
      expect(summary).toMatch(/✗ 1\. Every room has a facilitator/);
      expect(summary).toMatch(/Problems \(publishing needs your confirmation\)\n• Korean: no facilitator leads in this language\. Rooms without a facilitator: 5 — kim, lee, park\./);
      expect(summary).toMatch(/To send these rooms anyway: \/breakouts publish 1 confirm=yes$/);

      await say("fiona", "staff", "/facilitator languages de capacity=1");
      expect(await coordinator("/breakouts generate 1 size=3")).toMatch(
        /German: rooms of 3 would need 2 facilitators, but only 1 is free, so room 1 has 6 people\./,
      );
      await say("fiona", "staff", "/facilitator languages de capacity=2");
      await say("lena", "potsdam", "/register Potsdam Renters language=it");
      await facilitator("ilaria", "it", 1);
      expect(await coordinator("/breakouts generate 1 size=6")).toMatch(/Italian: only 1 person, fewer than the 3 a room needs \(room \d: lena\)\./);
    });

    it("rejects bad input with a clear message and stores nothing", async () => {
      await twoGroups();
      expect(await coordinator("/breakouts generate 1 size=1")).toMatch(/must be at least 2/);
      expect(await coordinator("/breakouts generate 1 mode=shuffle")).toMatch(/must be one of mix, keep/);
      expect(await coordinator("/breakouts generate 1 seed=-4")).toMatch(/must be at least 0/);
      expect(await coordinator("/breakouts generate 9")).toMatch(/There is no session 9; the program has sessions 1 to 2\./);
      expect(await coordinator("/breakouts generate")).toMatch(/Missing: The session's number/);
      bot.clock.set(SESSION_1_END);
      expect(await coordinator("/breakouts generate 1")).toMatch(/Session 1, “First”, is over/);
      expect(await rounds()).toEqual([]);
    });

    it("says so when nobody is registered", async () => {
      await facilitator("fiona", "de", 1);
      expect(await coordinator("/breakouts generate 1")).toMatch(/Nobody is registered in an active group yet/);
    });
  });

  describe("publish", () => {
    it("sends every group channel its own people's rooms, in the group's language, once", async () => {
      await twoGroups();
      await coordinator("/breakouts generate 1 size=3");
      expect(await coordinator("/breakouts publish 1")).toBe("Published the rooms of session 1: 2 groups get their rooms in their channels now.");
      expect((await rounds()).map((round) => [round.status, round.version])).toEqual([["published", 1]]);
      const rows = await deliveries();
      expect(rows.map((row) => [row.kind, row.channel.platformChannelId])).toEqual([
        ["breakout-rooms", "berlin"],
        ["breakout-rooms", "madrid"],
      ]);
      expect(rows.map((row) => row.dedupeKey)).toEqual([`breakouts:1:v1:${rows[0]!.channelId}`, `breakouts:1:v1:${rows[1]!.channelId}`]);
      expect(rows.every((row) => row.expiresAt?.getTime() === SESSION_1_END)).toBe(true);

      expect((await bot.app.dispatcher.drain()).sent).toBe(2);
      const berlin = adapter.to("berlin")[0]!.text;
      expect(berlin).toMatch(/^🧩 Breakout-Räume für Sitzung 1, „First“/);
      expect(berlin).toMatch(/Raum 1 · Deutsch \(Moderation: fiona\): \w+, \w+, \w+ · Zum Raum \(https:\/\/meet\.example\.org\/fiona-1\)/);
      expect(berlin).toMatch(/Raum 2 · Deutsch \(Moderation: fiona\): \w+, \w+, \w+ · Zum Raum \(https:\/\/meet\.example\.org\/fiona-2\)/);
      for (const person of BERLIN) expect(berlin).toContain(person);
      for (const person of MADRID) expect(berlin).not.toContain(person);
      const madrid = adapter.to("madrid")[0]!.text;
      expect(madrid).toMatch(/Sala 3 · español \(facilitación: felipe\)/);
      for (const person of MADRID) expect(madrid).toContain(person);
      expect(adapter.sent[0]!.message.blocks[0]).toMatchObject({ type: "heading" });

      expect((await bot.app.dispatcher.drain()).sent).toBe(0);
      expect(await coordinator("/breakouts publish 1")).toMatch(/Version 1 of session 1's rooms is already published/);
      expect(await deliveries()).toHaveLength(2);
    });

    it("renders at send time: the group's language when it goes out, not when it was published", async () => {
      await twoGroups();
      await coordinator("/breakouts generate 1 size=3");
      await coordinator("/breakouts publish 1");
      await say("ana", "berlin", "/language it");
      await bot.app.dispatcher.drain();
      expect(adapter.to("berlin")[0]!.text).toMatch(/^🧩 Stanze per i gruppi della sessione 1/);
    });

    it("needs an explicit confirmation when rule 1 or 2 is broken, says why, and sends nothing until then", async () => {
      await twoGroups();
      await group("seoul", "Seoul Union", "ko", ["kim", "lee", "park"]);
      await coordinator("/breakouts generate 1 size=3");
      const refused = await coordinator("/breakouts publish 1");
      expect(refused).toMatch(/^Not published yet: the rooms for session 1 have problems/);
      expect(refused).toMatch(/Korean: no facilitator leads in this language\. Rooms without a facilitator: 5 — kim, lee, park\./);
      expect(refused).toMatch(/send \/breakouts publish 1 confirm=yes/);
      expect((await rounds()).map((round) => round.status)).toEqual(["proposal"]);
      expect(await deliveries()).toEqual([]);
      expect(await coordinator("/breakouts publish 1 confirm=maybe")).toMatch(/must be one of yes/);

      expect(await coordinator("/breakouts publish 1 confirm=yes")).toMatch(/3 groups get their rooms/);
      await bot.app.dispatcher.drain();
      expect(adapter.to("seoul")[0]!.text).toMatch(/5번 방 · 한국어 \(퍼실리테이터 없음\): kim, lee, park/);
    });

    it("after publishing, a change goes out as a correction only to the groups whose rooms changed", async () => {
      await twoGroups();
      await coordinator("/breakouts generate 1 size=3");
      await coordinator("/breakouts publish 1");
      await bot.app.dispatcher.drain();
      const before = await Promise.all(MADRID.map(roomOf));
      adapter.reset();

      await say("quim", "madrid", "/leave");
      expect(await coordinator("/breakouts generate 1 size=3")).toMatch(
        /Version 1 is already published\. Publishing this proposal sends a correction to the 1 group whose rooms change\./,
      );
      // Until it is published, people still see version 1.
      expect(await say("quim", "madrid", "/breakout")).toMatch(/Sala|Room/);
      expect(await coordinator("/breakouts publish 1")).toBe(
        "Published version 2 of session 1's rooms: 1 group whose rooms changed gets a correction (1 unchanged).",
      );
      expect((await rounds()).map((round) => [round.status, round.version])).toEqual([
        ["superseded", 1],
        ["published", 2],
      ]);
      await bot.app.dispatcher.drain();
      expect(adapter.to("berlin")).toEqual([]);
      const correction = adapter.to("madrid")[0]!.text;
      expect(correction).toMatch(/^🧩 Cambio en las salas de trabajo de la sesión 1/);
      expect(correction).not.toContain("quim");
      const after = await Promise.all(MADRID.map(roomOf));
      MADRID.forEach((person, index) => {
        if (person === "quim") return;
        const mark = `${person} (cambio)`;
        if (before[index] !== after[index]) expect(correction).toContain(mark);
        else expect(correction).not.toContain(mark);
      });
      expect(await say("quim", "madrid", "/breakout")).toMatch(/No tienes sala|You have no breakout room/);
    });

    it("a version published before the previous one went out replaces it for the groups it changes", async () => {
      await twoGroups();
      await coordinator("/breakouts generate 1 size=3");
      await coordinator("/breakouts publish 1");
      await say("quim", "madrid", "/leave");
      await coordinator("/breakouts generate 1 size=3");
      await coordinator("/breakouts publish 1");
      const report = await bot.app.dispatcher.drain();
      expect(report).toMatchObject({ sent: 2, skipped: 1 });
      expect(adapter.to("berlin")).toHaveLength(1);
      expect(adapter.to("madrid")).toHaveLength(1);
      // Madrid never saw version 1: version 2 reads as the first notice, not a correction.
      expect(adapter.to("madrid")[0]!.text).toMatch(/^🧩 Salas de trabajo de la sesión 1/);
      expect(adapter.to("madrid")[0]!.text).not.toContain("quim");
    });

    it("refuses without a proposal and after the session, and changes nothing", async () => {
      await twoGroups();
      expect(await coordinator("/breakouts publish 1")).toMatch(/nothing to publish for session 1 yet/);
      await coordinator("/breakouts generate 1 size=3");
      bot.clock.set(SESSION_1_END + 1);
      expect(await coordinator("/breakouts publish 1")).toMatch(/is over/);
      expect((await rounds()).map((round) => round.status)).toEqual(["proposal"]);
      expect(await deliveries()).toEqual([]);
    });
  });

  describe("looking up rooms", () => {
    beforeEach(async () => {
      await twoGroups();
      await coordinator("/breakouts generate 1 size=3");
    });

    it("/breakout shows the caller's room and facilitator in the next session, room-mates only where the program allows", async () => {
      // Ben asks in his group's channel, so he is answered in the group's language.
      expect(await say("ben", "berlin", "/breakout")).toMatch(/Sitzung 1, „First“, stehen noch nicht fest/);
      await coordinator("/breakouts publish 1");
      const room = await roomOf("ben");
      const shown = await say("ben", "berlin", "/breakout");
      expect(shown).toContain(`Dein Breakout-Raum in Sitzung 1, „First“\nRaum ${room} · Deutsch\nModeration: fiona`);
      expect(shown).not.toMatch(/Mit dir im Raum/);

      await bot.db.prisma.program.updateMany({ data: { breakoutShowRoommates: true } });
      const mates = await bot.db.prisma.breakoutSeat.findMany({ where: { room: { number: room } }, include: { member: true } });
      const names = mates.map((seat) => seat.member.displayName).filter((name) => name !== "ben").sort();
      expect(names).toHaveLength(2);
      expect(await say("ben", "berlin", "/breakout")).toContain(`Mit dir im Raum: ${names.join(", ")}`);
      expect(await say("ben", "lobby", "/breakout 2")).toMatch(/The breakout rooms for session 2, “Second”, are not out yet/);
      expect(await say("zoe", "elsewhere", "/breakout")).toMatch(/You have no breakout room in session 1/);
    });

    it("/breakout rooms lists a facilitator's rooms with who is in them; /breakout points there", async () => {
      await coordinator("/breakouts publish 1");
      const rooms = await say("fiona", "staff", "/breakout rooms");
      expect(rooms).toMatch(/^Your rooms in session 1, “First”\nRoom 1 · German — 3 people · Join the room \(https:\/\/meet\.example\.org\/fiona-1\)\n• \w+ \(Berlin Tenants\)/);
      expect(rooms).toMatch(/\nRoom 2 · German — 3 people · Join the room \(https:\/\/meet\.example\.org\/fiona-2\)\n/);
      for (const person of BERLIN) expect(rooms).toContain(`${person} (Berlin Tenants)`);
      expect(await say("fiona", "staff", "/breakout")).toMatch(/You lead 2 rooms: Room 1 · German, Room 2 · German/);
      await facilitator("gisela", "fr", 1);
      expect(await say("gisela", "staff", "/breakout rooms")).toMatch(/You don't lead a room in session 1/);
    });
  });

  describe("permissions", () => {
    it("participants can't generate, publish, list facilitators' rooms or declare languages; facilitators can't generate", async () => {
      await twoGroups();
      expect(await say("ben", "lobby", "/breakouts generate 1")).toMatch(/is for the coordinator role only/);
      expect(await say("ben", "lobby", "/breakouts publish 1 confirm=yes")).toMatch(/is for the coordinator role only/);
      expect(await say("ben", "lobby", "/breakout rooms")).toMatch(/is for the facilitator role only/);
      expect(await say("ben", "lobby", "/facilitator languages de")).toMatch(/is for the facilitator role only/);
      // In the group's channel, the refusal comes in the group's language.
      expect(await say("ben", "berlin", "/breakouts generate 1")).toMatch(/ist nur für die Rolle/);
      expect(await say("fiona", "staff", "/breakouts generate 1")).toMatch(/is for the coordinator role only/);
      expect(await rounds()).toEqual([]);
      expect(await bot.db.prisma.facilitatorProfile.count()).toBe(2);
    });
  });

  describe("history", () => {
    it("the next session avoids pairs who already shared a room", async () => {
      // 16 people in one language, rooms of 4: in session 2 nobody needs to meet a room-mate again
      // (each new room takes one person from each earlier room).
      await group("berlin", "Berlin Tenants", "de", BERLIN);
      await group("potsdam", "Potsdam Renters", "de", ["gustav", "hanna", "ida", "jonas", "karl", "lena", "mia", "nils", "otto", "paula"]);
      await facilitator("fiona", "de", 2);
      await facilitator("frank", "de", 2);
      await coordinator("/breakouts generate 1 size=4");
      await coordinator("/breakouts publish 1");
      expect(await coordinator("/breakouts generate 2 size=4")).toMatch(/4\. 0 of 24 pairs of room-mates already shared a room in an earlier session/);
      const first = await bot.db.prisma.breakoutRoom.findMany({ where: { round: { status: "published" } }, include: { seats: true } });
      const second = await bot.db.prisma.breakoutRoom.findMany({ where: { round: { status: "proposal" } }, include: { seats: true } });
      const earlierRoom = new Map(first.flatMap((room) => room.seats.map((seat) => [seat.memberId, room.number] as const)));
      for (const room of second) {
        const earlier = room.seats.map((seat) => earlierRoom.get(seat.memberId));
        expect(new Set(earlier).size).toBe(earlier.length);
      }
    });
  });
});
