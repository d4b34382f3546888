import { type SafeHtml, html } from './html.ts';

export interface Bar {
  label: string;
  value: number;
  /** What is written after the bar (default: the value). */
  note?: string;
}

const ROW = 26;
const BAR_WIDTH = 300;
/** Room for a label: about 7 px per character at the chart's 12 px font. */
const labelWidth = (bars: readonly Bar[]) => Math.min(280, Math.max(80, ...bars.map((bar) => bar.label.length * 7 + 12)));

/**
 * A horizontal bar chart as inline SVG, made on the server: no script, no CDN. Labels are
 * escaped like any text. `max` fixes the scale (1 for rates), else the largest value fills it.
 */
export function barChart(title: string, bars: readonly Bar[], options: { max?: number } = {}): SafeHtml {
  if (bars.length === 0) return html`<figure class="chart"><figcaption>${title}</figcaption><p class="empty">No data yet.</p></figure>`;
  const max = options.max ?? Math.max(...bars.map((bar) => bar.value), 1);
  const labels = labelWidth(bars);
  const width = labels + BAR_WIDTH + 110;
  const height = bars.length * ROW + 8;
  const rows = bars.map((bar, index) => {
    const y = index * ROW + 4;
    const length = max > 0 ? Math.max(0, Math.round((bar.value / max) * BAR_WIDTH)) : 0;
    return html`<g><text x="${labels - 8}" y="${y + 15}" text-anchor="end">${bar.label}</text><rect x="${labels}" y="${y}" width="${length}" height="${ROW - 8}" rx="2"></rect><text x="${labels + length + 6}" y="${y + 15}">${bar.note ?? String(bar.value)}</text></g>`;
  });
  return html`<figure class="chart"><figcaption>${title}</figcaption><svg role="img" aria-label="${title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows}</svg></figure>`;
}
