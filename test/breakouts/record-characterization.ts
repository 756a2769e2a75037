// Writes fixtures/characterization.json from the current algorithm. Run it only when a change to
// the assignment's result is intended (and say so in the commit):
//   npx tsx test/breakouts/record-characterization.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHARACTERIZATION_CASES } from "./characterization-cases.ts";

const isPlain = (value: unknown): boolean => value === null || typeof value !== "object";
/** Holds only plain values and arrays of them (a room, a violation's details). */
const isFlat = (value: object): boolean =>
  Object.values(value).every((item) => isPlain(item) || (Array.isArray(item) && item.every(isPlain)));

/** JSON with every flat array or object on one line, so a room is one line of the fixture. */
function format(value: unknown, indent = ""): string {
  if (value === null || typeof value !== "object" || isFlat(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((item) => `${inner}${format(item, inner)}`)
    : Object.entries(value).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${format(item, inner)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return entries.length === 0 ? `${open}${close}` : `${open}\n${entries.join(",\n")}\n${indent}${close}`;
}

const recorded = Object.fromEntries(CHARACTERIZATION_CASES.map((c) => [c.name, c.run()]));
const file = fileURLToPath(new URL("./fixtures/characterization.json", import.meta.url));
writeFileSync(file, `${format(recorded)}\n`);
console.log(`recorded ${CHARACTERIZATION_CASES.length} cases in ${file}`);
