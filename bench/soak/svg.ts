// docs/soak.svg, drawn by hand like bench/svg.ts (no plotting dependency): received messages per
// second (top) and resident memory of the consumer and the simulator (bottom) over the run, with
// a dashed line at every fault.
import type { SoakResults } from './results.js';

const WIDTH = 940;
const PANEL_HEIGHT = 230;
const MARGIN = { left: 70, right: 20, top: 30, bottom: 36 };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten at or above `value`. */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

interface Series {
  label: string;
  color: string;
  points: Array<[number, number]>;
}

function panel(top: number, title: string, unit: string, series: Series[], seconds: number, faults: SoakResults['faults']): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const yMax = niceCeiling(Math.max(1, ...series.flatMap((line) => line.points.map(([, y]) => y))));
  const x = (t: number): number => MARGIN.left + (plotWidth * t) / Math.max(1, seconds);
  const y = (v: number): number => top + MARGIN.top + plotHeight - (plotHeight * v) / yMax;
  const out: string[] = [];
  out.push(`<text x="${MARGIN.left}" y="${top + 18}" font-size="14" font-weight="bold">${escape(title)}</text>`);
  for (let tick = 0; tick <= 4; tick++) {
    const value = (yMax * tick) / 4;
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y(value) + 4}" font-size="11" text-anchor="end">${value.toLocaleString('en-US')} ${unit}</text>`);
  }
  const step = niceCeiling(seconds / 10);
  for (let t = 0; t <= seconds; t += step) {
    out.push(`<text x="${x(t)}" y="${top + PANEL_HEIGHT - 14}" font-size="11" text-anchor="middle">${t} s</text>`);
  }
  for (const fault of faults) {
    out.push(`<line x1="${x(fault.atSec)}" x2="${x(fault.atSec)}" y1="${top + MARGIN.top}" y2="${top + MARGIN.top + plotHeight}" stroke="#999" stroke-dasharray="4 3"/>`);
    out.push(`<text x="${x(fault.atSec) + 3}" y="${top + MARGIN.top + 10}" font-size="9" fill="#666">${escape(fault.type)}</text>`);
  }
  series.forEach((line, index) => {
    const path = line.points.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    out.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="1.5"/>`);
    out.push(`<text x="${WIDTH - MARGIN.right - 220}" y="${top + 18 + 14 * index}" font-size="12" fill="${line.color}">${escape(line.label)}</text>`);
  });
  return out.join('\n');
}

export function renderSoakSvg(results: SoakResults): string {
  const samples = results.samples;
  const seconds = results.durationSec;
  const height = 2 * PANEL_HEIGHT + 10;
  const rate = panel(0, 'Messages received per second', 'msg/s', [{ label: 'received msg/s', color: '#1f77b4', points: samples.map((s) => [s.atSec, s.receivedPerSec]) }], seconds, results.faults);
  const memory = panel(
    PANEL_HEIGHT,
    'Resident memory (RSS)',
    'MB',
    [
      { label: 'consumer RSS', color: '#d62728', points: samples.map((s) => [s.atSec, s.consumerRss / 1e6]) },
      { label: 'consumer V8 heap used', color: '#ff7f0e', points: samples.map((s) => [s.atSec, s.consumerHeapUsed / 1e6]) },
      { label: 'simulator RSS', color: '#7f7f7f', points: samples.map((s) => [s.atSec, s.simulatorRss / 1e6]) },
    ],
    seconds,
    results.faults,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${rate}\n${memory}\n</svg>\n`;
}
