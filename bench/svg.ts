// docs/bench-latency.svg, written by hand (no plotting dependency): one panel per (transport,
// rate), latency by percentile. x is the usual HDR "percentile" axis, log-scaled in 1/(1-p), from
// p0 to p99.99; y is latency on a log scale.
import type { ClientKind } from './client.js';
import { CLIENT_LABELS } from './config.js';
import type { BenchResults, LatencyRow } from './results.js';

const PANEL_WIDTH = 470;
const PANEL_HEIGHT = 300;
const MARGIN = { left: 64, right: 30, top: 34, bottom: 40 };
const LEGEND_HEIGHT = 64;
/** p99.99 is the last percentile drawn: 1/(1-0.9999) = 10^4. */
const X_DECADES = 4;

const STYLE: Readonly<Record<ClientKind | 'clock', { color: string; width: number; dash?: string }>> = {
  'raw-onread': { color: '#7f7f7f', width: 1.5 },
  'raw-data': { color: '#2ca02c', width: 1.5 },
  'node-websocket': { color: '#9467bd', width: 1.5 },
  ws: { color: '#1f77b4', width: 1.5 },
  'ws-native': { color: '#17becf', width: 1.5, dash: '6 3' },
  tickwire: { color: '#d62728', width: 2.5 },
  clock: { color: '#000000', width: 1, dash: '2 3' },
};

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function xOf(percentile: number): number {
  const nines = Math.log10(1 / (1 - percentile / 100));
  return Math.min(X_DECADES, Math.max(0, nines)) / X_DECADES;
}

function microsLabel(us: number): string {
  if (us >= 1000) return `${us / 1000} ms`;
  return `${us} \u00b5s`;
}

export function renderLatencySvg(results: BenchResults): string {
  const rows = results.latency.filter((row) => row.merged !== undefined && row.merged.count > 0);
  const rates = [...new Set(results.latency.map((row) => row.rate))];
  const transports = (['ws', 'wss'] as const).filter((transport) => results.latency.some((row) => row.transport === transport));
  const columns = Math.max(1, rates.length);
  const width = columns * PANEL_WIDTH;
  const height = LEGEND_HEIGHT + Math.max(1, transports.length) * PANEL_HEIGHT;

  // One y range for every panel, whole decades, so panels compare at a glance.
  const values = rows.flatMap((row) => (row.merged as NonNullable<LatencyRow['merged']>).grid.map(([, ns]) => ns / 1000)).filter((us) => us > 0);
  const low = Math.floor(Math.log10(values.length > 0 ? Math.min(...values) : 1));
  const high = Math.max(low + 1, Math.ceil(Math.log10(values.length > 0 ? Math.max(...values) : 1000)));

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">One-way latency by percentile (loopback, ${escape(results.machine.node)}, ${escape(results.machine.date.slice(0, 10))})</text>`,
  );
  // Legend.
  const clients = [...new Set(results.latency.map((row) => row.client))];
  clients.forEach((client, index) => {
    const x = 16 + (index % 4) * (width / 4);
    const y = 36 + Math.floor(index / 4) * 16;
    const style = STYLE[client];
    out.push(
      `<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${style.color}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`,
    );
    out.push(`<text x="${x + 30}" y="${y + 4}">${escape(CLIENT_LABELS[client])}</text>`);
  });

  transports.forEach((transport, rowIndex) => {
    rates.forEach((rate, columnIndex) => {
      const left = columnIndex * PANEL_WIDTH + MARGIN.left;
      const top = LEGEND_HEIGHT + rowIndex * PANEL_HEIGHT + MARGIN.top;
      const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
      const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
      const px = (percentile: number): number => left + xOf(percentile) * plotWidth;
      const py = (us: number): number => top + plotHeight - ((Math.log10(Math.max(us, Math.pow(10, low))) - low) / (high - low)) * plotHeight;
      out.push(`<text x="${left + plotWidth / 2}" y="${top - 10}" text-anchor="middle" font-weight="bold">${transport}://, paced ${rate / 1000}k msg/s</text>`);
      out.push(`<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`);
      for (let decade = low; decade <= high; decade++) {
        const y = py(Math.pow(10, decade));
        out.push(`<line x1="${left}" y1="${y}" x2="${left + plotWidth}" y2="${y}" stroke="#e5e5e5"/>`);
        out.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end">${microsLabel(Number(Math.pow(10, decade).toPrecision(1)))}</text>`);
      }
      for (const [percentile, label] of [
        [0, 'p0'],
        [50, 'p50'],
        [90, 'p90'],
        [99, 'p99'],
        [99.9, 'p99.9'],
        [99.99, 'p99.99'],
      ] as const) {
        const x = px(percentile);
        out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + plotHeight}" stroke="#e5e5e5"/>`);
        out.push(`<text x="${x}" y="${top + plotHeight + 14}" text-anchor="middle">${label}</text>`);
      }
      out.push(`<text x="${left + plotWidth / 2}" y="${top + plotHeight + 30}" text-anchor="middle" fill="#555">percentile (log scale in 1/(1-p))</text>`);
      for (const row of rows.filter((candidate) => candidate.transport === transport && candidate.rate === rate)) {
        const style = STYLE[row.client];
        const points = (row.merged as NonNullable<LatencyRow['merged']>).grid
          .filter(([percentile]) => percentile <= 99.99 + 1e-9)
          .map(([percentile, ns]) => `${px(percentile).toFixed(1)},${py(ns / 1000).toFixed(1)}`)
          .join(' ');
        out.push(
          `<polyline fill="none" stroke="${style.color}" stroke-width="${style.width}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''} points="${points}"><title>${escape(CLIENT_LABELS[row.client])}</title></polyline>`,
        );
      }
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
