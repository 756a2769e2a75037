// How long a text is, the way its writer sees it: "👩🏽‍🌾" or "é" written as e + accent is one
// character, not the 2 to 7 UTF-16 units JavaScript's `length` counts. Every documented limit
// ("up to 4,000 characters") is counted this way, so what the reply names is what people count.

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export function characterCount(text: string): number {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/** Whether the text has at most `max` characters; short texts are not segmented at all. */
export function fitsCharacters(text: string, max: number): boolean {
  // Every character holds at least one UTF-16 unit, so a text of at most `max` units fits.
  return text.length <= max || characterCount(text) <= max;
}
