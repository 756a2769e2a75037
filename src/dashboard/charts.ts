// Charts drawn on the server as inline SVG: nothing to download, nothing to run, and readable on a
// phone (the SVG scales to its box; labels sit in their own column). Colours come from classes in
// dashboard.css, because the Content-Security-Policy allows no inline style.
import { html, type Html } from "./html.ts";

export interface Bar {
  label: string;
  value: number;
}

/** Horizontal bars, one per label, longest first as given; values are counts. */
export function horizontalBars(bars: readonly Bar[], options: { title: string }): Html {
  const rowHeight = 26;
  const labelWidth = 150;
  const width = 480;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = bars.length * rowHeight + 4;
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.title}" preserveAspectRatio="xMinYMin meet">
<title>${options.title}</title>
${bars.map((bar, index) => {
  const y = index * rowHeight + 2;
  const length = Math.max(2, ((width - labelWidth - 50) * bar.value) / max);
  return html`<g><text class="label" x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${truncate(bar.label, 20)}</text>
<rect class="bar s0" x="${labelWidth}" y="${y + 3}" width="${length.toFixed(1)}" height="${rowHeight - 8}" rx="3"></rect>
<text class="value" x="${(labelWidth + length + 6).toFixed(1)}" y="${y + 17}">${bar.value}</text></g>`;
})}
</svg>`;
}

export interface Series {
  name: string;
  /** Percentages, one per category; null leaves a gap (no data). */
  values: (number | null)[];
}

/** Grouped vertical bars of percentages: one group per category (a session), one bar per series. */
export function percentBars(categories: readonly string[], series: readonly Series[], options: { title: string }): Html {
  const height = 240;
  const top = 22;
  const bottom = 28;
  const left = 48;
  // The sessions share a readable width (many of them make the chart wider); bars stay slim.
  const groupWidth = Math.max(series.length * 22 + 16, 600 / Math.max(1, categories.length));
  const width = left + categories.length * groupWidth + 8;
  const plot = height - top - bottom;
  const barWidth = Math.min(56, (groupWidth - 16) / series.length);
  const inset = (groupWidth - barWidth * series.length) / 2;
  const y = (value: number) => top + plot - (plot * value) / 100;
  return html`<figure class="chart-box"><svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.title}">
<title>${options.title}</title>
${[0, 25, 50, 75, 100].map(
  (tick) => html`<line class="grid" x1="${left}" x2="${width}" y1="${y(tick)}" y2="${y(tick)}"></line><text class="axis" x="${left - 6}" y="${y(tick) + 4}" text-anchor="end">${tick}%</text>`,
)}
${categories.map(
  (category, categoryIndex) => html`<g>${series.map((entry, seriesIndex) => {
    const value = entry.values[categoryIndex];
    if (value === null || value === undefined) return "";
    const x = left + categoryIndex * groupWidth + inset + seriesIndex * barWidth;
    return html`<rect class="bar s${seriesIndex}" x="${x.toFixed(1)}" y="${y(value).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(top + plot - y(value)).toFixed(1)}"><title>${entry.name}, ${category}: ${value}%</title></rect>${
      barWidth >= 26 ? html`<text class="value" x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(y(value) - 4).toFixed(1)}" text-anchor="middle">${value}%</text>` : ""
    }`;
  })}<text class="axis" x="${(left + categoryIndex * groupWidth + groupWidth / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle">${category}</text></g>`,
)}
</svg>
<figcaption class="legend">${series.map((entry, index) => html`<span><i class="swatch s${index}"></i>${entry.name}</span>`)}</figcaption></figure>`;
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
