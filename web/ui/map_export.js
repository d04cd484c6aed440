// The results' downloads: the predictions table and the .h5ad (both core's), and the map as PNG
// or SVG with the legend of its current colouring drawn below it.
import { saveBlob } from './download.js';
import { categoryColor } from './palette.js';
import { fmt, escapeHtml } from './format.js';
import { plot, currentColoring, colouredByPrediction } from './results.js';

const $ = (id) => document.getElementById(id);
let state = null, run = null;

// state: the page's (app.js), its result the one downloaded; run: its run() for engine requests.
export function setupDownloads(page) {
  ({ state, run } = page);
  $('download-predictions').addEventListener('click', () => {
    const r = state.result;
    if (!r) return;
    // core's table (core/app/predictions_table.hpp), the one `scpt annotate` writes, made with the
    // result: it stays downloadable when the worker is replaced (a cancelled single-threaded run).
    saveBlob(new Blob([r.table], { type: 'text/tab-separated-values' }), r.mode === 'cluster' ? 'clusters.tsv' : 'predictions.tsv');
  });
  $('download-h5ad').addEventListener('click', async () => {
    const r = state.result;
    if (!r) return;
    const bytes = await run('Writing the .h5ad', 'h5ad', { outcome: r.outcome, target: r.target, xy: r.xy });
    if (bytes) saveBlob(new Blob([bytes], { type: 'application/x-hdf5' }), 'annotated.h5ad');
  });
  $('download-png').addEventListener('click', async () => saveBlob(await mapPng(), 'cell-map.png'));
  $('download-svg').addEventListener('click', () => saveBlob(new Blob([mapSvg()], { type: 'image/svg+xml' }), 'cell-map.svg'));
}

// The map's legend for the downloads: [{name, color, n}] of the current colouring.
function legendEntries() {
  const r = state.result, c = currentColoring();
  if (!r || !c) return [];
  const counts = new Array(c.levels.length).fill(0);
  let none = 0;
  for (const code of c.codes) if (code >= 0) ++counts[code]; else ++none;
  const out = c.levels.map((name, i) => ({ name, color: categoryColor(i), n: counts[i] })).filter((e) => e.n);
  if (none) out.push({ name: colouredByPrediction() && r.mode === 'annotate' ? 'Unassigned' : '(none)', color: categoryColor(-1), n: none });
  return out;
}

const LEGEND_COL = 200, LEGEND_ROW = 18;

// The plot's SVG with the legend below it.
function mapSvg() {
  let svg = plot.toSVG('Map of the cells');
  const entries = legendEntries();
  const m = svg.match(/width="([\d.]+)" height="([\d.]+)" viewBox="0 0 [\d.]+ [\d.]+"/);
  if (!entries.length || !m) return svg;
  const w = Number(m[1]), h = Number(m[2]);
  const cols = Math.max(1, Math.floor(w / LEGEND_COL)), extra = Math.ceil(entries.length / cols) * LEGEND_ROW + 12;
  svg = svg.replace(m[0], `width="${w}" height="${h + extra}" viewBox="0 0 ${w} ${h + extra}"`);
  const items = entries.map((e, k) => {
    const x = 10 + (k % cols) * LEGEND_COL, y = h + 14 + Math.floor(k / cols) * LEGEND_ROW;
    return `<circle cx="${x + 5}" cy="${y - 4}" r="5" fill="${e.color}"/><text x="${x + 15}" y="${y}">${escapeHtml(`${e.name} (${fmt(e.n)})`)}</text>`;
  });
  return svg.replace('</svg>', `<g font-family="sans-serif" font-size="12" fill="#1d2433">${items.join('')}</g>\n</svg>`);
}

// The plot's pixels with the legend drawn below them.
function mapPng() {
  const src = $('cell-map'), entries = legendEntries();
  const dpr = src.width / Math.max(1, src.clientWidth);
  const cols = Math.max(1, Math.floor(src.width / (LEGEND_COL * dpr)));
  const extra = entries.length ? Math.ceil((Math.ceil(entries.length / cols) * LEGEND_ROW + 12) * dpr) : 0;
  const c = document.createElement('canvas');
  c.width = src.width;
  c.height = src.height + extra;
  const g = c.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  g.drawImage(src, 0, 0);
  g.font = `${12 * dpr}px sans-serif`;
  entries.forEach((e, k) => {
    const x = (10 + (k % cols) * LEGEND_COL) * dpr, y = src.height + (14 + Math.floor(k / cols) * LEGEND_ROW) * dpr;
    g.fillStyle = e.color;
    g.beginPath();
    g.arc(x + 5 * dpr, y - 4 * dpr, 5 * dpr, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = '#1d2433';
    g.fillText(`${e.name} (${fmt(e.n)})`, x + 15 * dpr, y);
  });
  return new Promise((resolve) => c.toBlob(resolve, 'image/png'));
}
