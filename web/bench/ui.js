// Times the map and the table with N cells (?n=1000000): draw zoomed out (level of detail),
// zoomed in, hover-grid draw after a pan; table fill, scroll, sort and filter. window.uiResult.
import { ScatterPlot, LOD_POINTS } from '../ui/scatter.js';
import { VirtualTable } from '../ui/table.js';

const n = Number(new URLSearchParams(location.search).get('n') || 1000000);
const types = ['T_CD4', 'T_CD8', 'B', 'NK', 'MNP', 'Unassigned'];
// Deterministic clustered points (a xorshift stream), like a UMAP of six types.
let s = 12345;
const rnd = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; };
const xy = new Float32Array(2 * n), codes = new Int32Array(n), conf = new Float32Array(n);
for (let i = 0; i < n; ++i) {
  const c = Math.floor(rnd() * types.length);
  codes[i] = c === types.length - 1 ? -1 : c;
  const a = 2 * Math.PI * c / types.length, r = Math.sqrt(-2 * Math.log(rnd() + 1e-12)), t = 2 * Math.PI * rnd();
  xy[2 * i] = 10 * Math.cos(a) + r * Math.cos(t);
  xy[2 * i + 1] = 10 * Math.sin(a) + r * Math.sin(t);
  conf[i] = rnd();
}
const time = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };
const result = { n, lodPoints: LOD_POINTS };
const plot = new ScatterPlot(document.getElementById('map'));
result.mapSetDataMs = time(() => plot.setData(xy, codes, types.slice(0, -1)));
const draws = [];
for (let k = 0; k < 5; ++k) draws.push(time(() => plot.draw()));
result.mapDrawMs = draws.sort((a, b) => a - b)[2];
result.mapDetail = plot.detail;
// Zoomed in 8x on one cluster: fewer points in view, all of them drawn.
const v = plot.fitView(plot.canvas.width, plot.canvas.height);
plot.view = { cx: 10, cy: 0, scale: v.scale * 8 };
const zd = [];
for (let k = 0; k < 5; ++k) zd.push(time(() => plot.draw()));
result.mapZoomedDrawMs = zd.sort((a, b) => a - b)[2];
result.mapZoomedDetail = plot.detail;
result.mapHighlightDrawMs = time(() => plot.setHighlight(2));

const table = new VirtualTable(document.getElementById('table'));
const barcodes = Array.from({ length: n }, (_, i) => `CELL${i}`);
const cols = [{ key: 'barcode', title: 'barcode' }, { key: 'label', title: 'label' },
  { key: 'confidence', title: 'confidence', numeric: true, format: (x) => x.toFixed(3) }];
const get = (i, k) => (k === 'barcode' ? barcodes[i] : k === 'label' ? (codes[i] < 0 ? 'Unassigned' : types[codes[i]]) : conf[i]);
result.tableSetDataMs = time(() => table.setData(cols, n, get));
const scrolls = [];
for (let k = 1; k <= 20; ++k) scrolls.push(time(() => { table.scroller.scrollTop = k * 1234567 % (n * 28); table.render(); }));
result.tableScrollRenderMs = scrolls.sort((a, b) => a - b)[10];
result.tableScrollMaxMs = scrolls[scrolls.length - 1];
result.tableSortMs = time(() => table.sortBy('confidence'));
result.tableFilterMs = time(() => table.setFilter('NK'));
result.tableFilteredRows = table.view.length;
window.uiResult = result;
document.body.dataset.state = 'done';
