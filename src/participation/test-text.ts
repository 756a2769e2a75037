// What /test takes: a name, then how many took part out of how many ("Petition" 87/120), or just
// how many when the group has charted its unit ("Sticker day" 64). Checked with zod.
import { z } from "zod";
import { MAX_UNIT_SIZE } from "./structure-tests.ts";

const RESULT = /^(.+?)\s+(\d{1,7})(?:\s*\/\s*(\d{1,7}))?$/s;
const QUOTED = /^["“„«'‘](.*)["”“»'’]$/s;

const testSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    participants: z.number().int().min(0).max(MAX_UNIT_SIZE),
    unitSize: z.number().int().min(1).max(MAX_UNIT_SIZE).optional(),
  });

export type TestText = z.infer<typeof testSchema>;

export function parseTestText(text: string): TestText | undefined {
  const match = RESULT.exec(text.trim());
  if (!match) return undefined;
  const name = match[1]!.trim().replace(QUOTED, "$1").trim();
  const parsed = testSchema.safeParse({ name, participants: Number(match[2]), unitSize: match[3] === undefined ? undefined : Number(match[3]) });
  return parsed.success ? parsed.data : undefined;
}
