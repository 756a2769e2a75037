// The exact rooms and report the assignment gave for fixed inputs and seeds when they were
// recorded (fixtures/characterization.json). Rewriting the algorithm must not change one of them;
// a deliberate change of result re-records the fixture (record-characterization.ts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BreakoutResult } from "../../src/breakouts/assign.ts";
import { CHARACTERIZATION_CASES } from "./characterization-cases.ts";

const recorded = JSON.parse(readFileSync(new URL("./fixtures/characterization.json", import.meta.url), "utf8")) as Record<string, BreakoutResult[]>;

describe("breakouts: the same input and seed give exactly the recorded rooms", () => {
  it("records every case", () => {
    expect(Object.keys(recorded).sort()).toEqual(CHARACTERIZATION_CASES.map((c) => c.name).sort());
  });

  it.each(CHARACTERIZATION_CASES.map((c) => [c.name, c] as const))("%s", (name, c) => {
    // JSON round trip: the fixture cannot hold undefined, and neither does a stored report.
    expect(JSON.parse(JSON.stringify(c.run()))).toEqual(recorded[name]);
  });
});
