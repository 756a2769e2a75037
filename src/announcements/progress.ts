// A text progress bar, the same in chat and in the terminal: "█████░░░░░".

export function progressBar(done: number, total: number, width = 20): string {
  const fraction = total === 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(fraction * width);
  return "█".repeat(filled) + "░".repeat(width - filled);
}

/** Whole percent, never rounded up to 100 before everything is done. */
export function percentDone(done: number, total: number): number {
  if (total === 0 || done >= total) return 100;
  return Math.min(99, Math.floor((done / total) * 100));
}
