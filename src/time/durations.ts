// "24h", "1h30m", "90m", "2d" <-> minutes. Program files and commands speak in these.

const UNIT_MINUTES: Record<string, number> = { d: 1440, h: 60, m: 1 };

export function parseDuration(input: string | number): number | undefined {
  if (typeof input === "number") return Number.isInteger(input) && input >= 0 ? input : undefined;
  const text = input.trim().toLowerCase().replace(/\s+/g, "");
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^(\d+[dhm])+$/.test(text)) return undefined;
  let minutes = 0;
  for (const match of text.matchAll(/(\d+)([dhm])/g)) minutes += Number(match[1]) * UNIT_MINUTES[match[2]!]!;
  return minutes;
}

export function formatDurationShort(minutes: number): string {
  const parts: string[] = [];
  let rest = minutes;
  for (const [unit, size] of Object.entries(UNIT_MINUTES)) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join("") || "0m";
}
