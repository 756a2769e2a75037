// "2 days, 3 hours" in the reader's language, from the platform's own ICU data (Intl), for
// "/next: in 2 days, 3 hours". Two units at most: precise enough, short enough.
import type { Locale } from "../i18n/i18n.ts";

const UNITS = [
  { unit: "day", ms: 86_400_000 },
  { unit: "hour", ms: 3_600_000 },
  { unit: "minute", ms: 60_000 },
] as const;

export function formatDuration(ms: number, locale: Locale): string {
  let rest = Math.max(0, Math.round(ms / 60_000) * 60_000);
  const parts: string[] = [];
  for (const { unit, ms: size } of UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0 && parts.length < 2) {
      parts.push(new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "long" }).format(count));
      rest -= count * size;
    } else if (parts.length > 0) {
      break; // "2 days, 3 minutes" would skip a unit: stop at the first gap.
    }
  }
  if (parts.length === 0) parts.push(new Intl.NumberFormat(locale, { style: "unit", unit: "minute", unitDisplay: "long" }).format(0));
  return new Intl.ListFormat(locale, { style: "long", type: "unit" }).format(parts);
}
