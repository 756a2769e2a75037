// The rooms of a session run at the same time: whatever people, facilitators, capacities and
// links, nobody leads two rooms of one session with the same link (or two without one), and the
// facilitators whose offer was cut for that reason are exactly the ones reported.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignBreakouts, type BreakoutMode, type BreakoutParticipant } from "../../src/breakouts/assign.ts";
import { leadableRooms, leaderOf, linkLimits, roomLinks, type LeaderProfile } from "../../src/breakouts/parallel-rooms.ts";

const LANGUAGES = ["de", "en", "es"] as const;
// Few links, so that the same link often comes twice in one profile.
const LINKS = Array.from({ length: 6 }, (_, k) => `https://meet.example.org/room-${k}`);

const participantsArb: fc.Arbitrary<BreakoutParticipant[]> = fc
  .array(fc.record({ group: fc.nat(8), languages: fc.subarray([...LANGUAGES], { minLength: 1 }) }), { minLength: 1, maxLength: 120 })
  .map((people) => people.map((person, i) => ({ id: `p${i}`, groupId: `g${person.group}`, languages: person.languages })));

const profilesArb: fc.Arbitrary<LeaderProfile[]> = fc
  .array(
    fc.record({
      languages: fc.subarray([...LANGUAGES], { minLength: 1 }),
      capacity: fc.integer({ min: 1, max: 5 }),
      meetingUrls: fc.array(fc.constantFrom(...LINKS), { maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 10 },
  )
  .map((profiles) => profiles.map((profile, i) => ({ ...profile, memberId: 1000 + i })));

const RUNS = { numRuns: Number(process.env.BREAKOUTS_FC_RUNS ?? 60) };

describe("breakouts: one room per link in a session (property-based)", () => {
  it("never gives one facilitator two rooms with the same link, nor more rooms than links (one without) or than offered", () => {
    fc.assert(
      fc.property(
        participantsArb,
        profilesArb,
        fc.integer({ min: 2, max: 8 }),
        fc.constantFrom<BreakoutMode>("mix", "keep"),
        fc.integer(),
        (participants, profiles, targetRoomSize, mode, seed) => {
          const leaders = profiles.map(leaderOf);
          const result = assignBreakouts({ participants, facilitators: leaders, targetRoomSize, mode, seed });
          const links = roomLinks(result.rooms, leaders);
          for (const profile of profiles) {
            const id = String(profile.memberId);
            const own = result.rooms.flatMap((room, r) => (room.facilitatorId === id ? [links[r]!] : []));
            const distinctLinks = new Set(profile.meetingUrls);
            expect(new Set(own).size, `${id} has two rooms with the same link`).toBe(own.length);
            expect(own.length).toBeLessThanOrEqual(Math.max(1, distinctLinks.size));
            expect(own.length).toBeLessThanOrEqual(profile.capacity);
            if (distinctLinks.size > 0) for (const link of own) expect(distinctLinks.has(link!)).toBe(true);
            else expect(own.every((link) => link === null)).toBe(true);
          }
          expect(linkLimits(leaders)).toEqual(
            profiles
              .filter((profile) => profile.capacity > Math.max(1, new Set(profile.meetingUrls).size))
              .map((profile) => ({ facilitatorId: String(profile.memberId), offered: profile.capacity, leadable: Math.max(1, new Set(profile.meetingUrls).size) })),
          );
        },
      ),
      RUNS,
    );
  });

  it("with a link for every room offered, capacity counts in full: as many rooms as without the rule", () => {
    fc.assert(
      fc.property(participantsArb, profilesArb, fc.integer({ min: 2, max: 8 }), fc.integer(), (participants, profiles, targetRoomSize, seed) => {
        const linked = profiles.map((profile) => ({ ...profile, meetingUrls: LINKS.slice(0, profile.capacity) }));
        const leaders = linked.map(leaderOf);
        expect(linkLimits(leaders)).toEqual([]);
        const plain = linked.map((profile) => ({ id: String(profile.memberId), languages: profile.languages, capacity: profile.capacity }));
        const input = { participants, targetRoomSize, mode: "mix" as const, seed };
        expect(assignBreakouts({ ...input, facilitators: leaders }).rooms).toEqual(assignBreakouts({ ...input, facilitators: plain }).rooms);
      }),
      RUNS,
    );
  });
});

describe("breakouts: rooms a facilitator can lead at once", () => {
  it("is what they offer, at most one per distinct link, one without a link", () => {
    expect(leadableRooms(2, [])).toBe(1);
    expect(leadableRooms(2, ["https://a.example"])).toBe(1);
    expect(leadableRooms(2, ["https://a.example", "https://a.example"])).toBe(1);
    expect(leadableRooms(2, ["https://a.example", "https://b.example"])).toBe(2);
    expect(leadableRooms(1, ["https://a.example", "https://b.example"])).toBe(1);
    expect(leadableRooms(0, ["https://a.example"])).toBe(0);
  });

  it("gives a facilitator's rooms their links in room order, and none to rooms without facilitator", () => {
    const leaders = [leaderOf({ memberId: 7, languages: ["de"], capacity: 3, meetingUrls: ["https://a.example", "https://a.example", "https://b.example"] })];
    expect(leaders[0]).toMatchObject({ id: "7", capacity: 2, offered: 3, meetingUrls: ["https://a.example", "https://b.example"] });
    const room = (index: number, facilitatorId: string | null) => ({ index, language: "de", facilitatorId, memberIds: [] });
    expect(roomLinks([room(0, "7"), room(1, null), room(2, "7")], leaders)).toEqual(["https://a.example", null, "https://b.example"]);
  });
});
