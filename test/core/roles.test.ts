import { describe, expect, it } from "vitest";
import { isAllowed, type CallerStanding, type RoleRequirement } from "../../src/core/roles.ts";

const participant: CallerStanding = { role: "participant", inChannelGroup: false, leadsChannelGroup: false };
const member: CallerStanding = { ...participant, inChannelGroup: true };
const lead: CallerStanding = { ...member, leadsChannelGroup: true };
const facilitator: CallerStanding = { ...participant, role: "facilitator" };
const coordinator: CallerStanding = { ...participant, role: "coordinator" };

const cases: [RoleRequirement, CallerStanding, boolean][] = [
  ["anyone", participant, true],
  ["member", participant, false],
  ["member", member, true],
  ["lead", member, false],
  ["lead", lead, true],
  ["lead", facilitator, false],
  ["facilitator", lead, false],
  ["facilitator", facilitator, true],
  ["coordinator", facilitator, false],
  ["coordinator", lead, false],
  ["coordinator", coordinator, true],
  ["lead", coordinator, true],
  ["member", coordinator, true],
];

describe("isAllowed", () => {
  it.each(cases)("%s allowed for %o is %s", (requirement, standing, expected) => {
    expect(isAllowed(requirement, standing)).toBe(expected);
  });
});
