// Announcements in the terminal (`npm run cli -- announcements`, `announcement status [id]
// [--watch]`): a line per announcement, and one announcement's report with a progress bar per
// platform that redraws in place while it goes out. Times are in the program's zone.
import { instantToWallClock } from "../time/instants.ts";
import { percentDone, progressBar } from "./progress.ts";
import { isFinished, OUTCOMES, type AnnouncementReport, type AnnouncementSummary, type StatusCounts } from "./reports.ts";
import { excerpt } from "./replies.ts";

const LABELS: Record<keyof StatusCounts, string> = { sent: "sent", queued: "waiting", failed: "failed", skipped: "skipped", cancelled: "cancelled" };

function countsText(counts: StatusCounts, all: boolean): string {
  return OUTCOMES.filter((outcome) => all || counts[outcome] > 0)
    .map((outcome) => `${LABELS[outcome]} ${counts[outcome]}`)
    .join(" · ");
}

function bar(counts: StatusCounts, total: number): string {
  const done = total - counts.queued;
  return `${progressBar(done, total, 30)} ${String(percentDone(done, total)).padStart(3)}%`;
}

export function summaryLine(summary: AnnouncementSummary): string {
  const { announcement, state, total, counts } = summary;
  const zone = announcement.program.timezone;
  const when = announcement.sendAt ?? announcement.confirmedAt;
  return [
    `#${announcement.id}`.padEnd(6),
    state.padEnd(10),
    (when ? instantToWallClock(when, zone) : "—").padEnd(16),
    (announcement.author?.displayName ?? "?").padEnd(14),
    total > 0 ? `${total} channels: ${countsText(counts, false)}` : "no deliveries",
    `“${excerpt(announcement.defaultText, 50)}”`,
  ].join("  ");
}

/** "  ██████░░░░  40%  12/30 channels done" */
function progressLine({ counts, total }: AnnouncementReport): string {
  return `  ${bar(counts, total)}  ${total - counts.queued}/${total} channels done`;
}

export function reportLines(report: AnnouncementReport): string[] {
  const { announcement, state, total, counts } = report;
  const zone = announcement.program.timezone;
  const lines = [
    `Announcement #${announcement.id} · ${announcement.program.title} · by ${announcement.author?.displayName ?? "?"} · ${state}`,
    `  “${excerpt(announcement.defaultText)}”`,
  ];
  const times = [
    announcement.confirmedAt ? `confirmed ${instantToWallClock(announcement.confirmedAt, zone)}` : undefined,
    announcement.sendAt ? `goes out ${instantToWallClock(announcement.sendAt, zone)}` : undefined,
    announcement.cancelledAt ? `cancelled ${instantToWallClock(announcement.cancelledAt, zone)}` : undefined,
  ].filter(Boolean);
  if (times.length) lines.push(`  ${times.join(", ")} (${zone})`);
  if (total === 0) return lines;
  lines.push(progressLine(report));
  lines.push(`  ${countsText(counts, true)}`);
  const width = Math.max(...report.platforms.map(({ platform }) => platform.length));
  for (const { platform, total: platformTotal, counts: platformCounts } of report.platforms) {
    lines.push(`  ${platform.padEnd(width)}  ${bar(platformCounts, platformTotal)}  ${countsText(platformCounts, false)}`);
  }
  for (const { reason, count } of report.failures.slice(0, 10)) lines.push(`  failed: ${count} × ${reason}`);
  return lines;
}

export interface WatchOptions {
  load(): Promise<AnnouncementReport>;
  write(text: string): void;
  /** A terminal: redraw in place. Otherwise (a pipe, a log) a line whenever progress changes. */
  interactive: boolean;
  /** Waits until the next look (a second, in the CLI). */
  wait(): Promise<void>;
}

/** Shows the report until the announcement is done or cancelled; returns the last report. */
export async function watchReport(options: WatchOptions): Promise<AnnouncementReport> {
  let drawn = 0;
  let lastProgress: string | undefined;
  for (;;) {
    const report = await options.load();
    const lines = reportLines(report);
    const progress = report.total > 0 ? progressLine(report) : "";
    const finished = isFinished(report.state);
    if (options.interactive) {
      // Back to the first line drawn last time, clear to the end, draw again.
      options.write(`${drawn ? `\x1b[${drawn}F\x1b[J` : ""}${lines.join("\n")}\n`);
    } else if (lastProgress === undefined || finished) {
      options.write(`${lines.join("\n")}\n`);
    } else if (progress !== lastProgress) {
      options.write(`${progress}\n`);
    }
    drawn = lines.length;
    lastProgress = progress;
    if (finished) return report;
    await options.wait();
  }
}
