// A canvas scatter plot that stays fast for hundreds of thousands of cells: points are written
// straight into an ImageData (no per-point canvas calls), hover finds the nearest point through a
// screen-space grid rebuilt at each draw, wheel zooms around the cursor, drag pans, double-click
// resets. Exports PNG (the canvas) and SVG (one circle per point). Above LOD_POINTS cells in view
// it draws a fixed sample (said in the canvas's title and in `detail`); zooming in shows them all.
import { categoryColor, rgbOf, MISSING } from './palette.js';

// Points drawn per frame at most (level of detail): a draw costs ~LOD_POINTS, whatever the cells.
export const LOD_POINTS = 250000;

export class ScatterPlot {
  // radius: points' half-width in CSS pixels (default: 1.5, 1 above 200,000 points).
  constructor(canvas, { tooltip = null, describe = null, radius = 0 } = {}) {
    this.canvas = canvas;
    this.radius = radius;
    this.tooltip = tooltip;      // an element positioned over the canvas, or null
    this.describe = describe;    // (index) => text for the tooltip
    this.xy = new Float32Array(0);
    this.codes = null;
    this.levels = [];
    this.highlight = -2;         // a level index to emphasise, or -2 for none
    this.view = null;            // {cx, cy, scale}: data centre and pixels per unit
    this.hovered = -1;
    this.attachEvents();
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  // xy: Float32Array (x, y) per point; codes: Int32Array level per point (-1 = none) or null.
  setData(xy, codes = null, levels = []) {
    this.xy = xy;
    this.codes = codes;
    this.levels = levels;
    this.highlight = -2;
    this.order = drawOrder(xy.length / 2);
    this.resetView();
  }

  setHighlight(level) { this.highlight = level; this.draw(); }

  resetView() {
    const n = this.xy.length / 2;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < n; ++i) {
      const x = this.xy[2 * i], y = this.xy[2 * i + 1];
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    if (!n) { x0 = y0 = -1; x1 = y1 = 1; }
    this.bounds = { x0, x1, y0, y1 };
    this.view = null;
    this.draw();
  }

  size() {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(this.canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(this.canvas.clientHeight * dpr));
    return { w, h, dpr };
  }

  fitView(w, h) {
    const { x0, x1, y0, y1 } = this.bounds;
    const pad = 0.05;
    const scale = Math.min(w / ((x1 - x0) * (1 + 2 * pad) || 1), h / ((y1 - y0) * (1 + 2 * pad) || 1));
    return { cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, scale };
  }

  toScreen(w, h) {
    const v = this.view || this.fitView(w, h);
    return { sx: v.scale, ox: w / 2 - v.cx * v.scale, oy: h / 2 + v.cy * v.scale };  // y grows upwards
  }

  pointColors() {
    const nl = this.levels.length;
    const rgb = Array.from({ length: nl }, (_, i) => rgbOf(categoryColor(i)));
    return { rgb, missing: rgbOf(MISSING), dim: [228, 228, 228] };
  }

  draw() {
    if (!this.bounds) return;
    const { w, h, dpr } = this.size();
    if (this.canvas.width !== w || this.canvas.height !== h) { this.canvas.width = w; this.canvas.height = h; }
    const ctx = this.canvas.getContext('2d');
    const img = ctx.createImageData(w, h);
    const px = new Uint32Array(img.data.buffer);
    px.fill(0xffffffff);
    const n = this.xy.length / 2;
    const { sx, ox, oy } = this.toScreen(w, h);
    const r = this.radius > 0 ? Math.max(1, Math.round(this.radius * dpr))
      : n > 200000 ? Math.max(1, Math.round(dpr)) : Math.max(1, Math.round(1.5 * dpr));
    const { rgb, missing, dim } = this.pointColors();
    const pack = (c) => (255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0];  // little-endian RGBA
    const packed = rgb.map(pack), packedMissing = pack(missing), packedDim = pack(dim);
    const single = pack(rgbOf(categoryColor(0)));
    const colorOf = (code) => (!this.codes ? single : code < 0 ? packedMissing : packed[code]);
    // Screen positions and a grid for hover.
    const cell = Math.max(4, 4 * r);
    const gw = Math.ceil(w / cell) + 1, gh = Math.ceil(h / cell) + 1;
    if (!this.screen || this.screen.length !== 2 * n) this.screen = new Float32Array(2 * n);  // reused across draws
    const sxArr = this.screen.subarray(0, n), syArr = this.screen.subarray(n);
    const count = new Int32Array(gw * gh + 1);
    const plot = (i, color) => {
      const x = Math.round(sxArr[i]), y = Math.round(syArr[i]);
      if (x < -r || y < -r || x >= w + r || y >= h + r) return;
      for (let dy = -r + 1; dy < r; ++dy) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        const row = yy * w;
        for (let dx = -r + 1; dx < r; ++dx) {
          const xx = x + dx;
          if (xx >= 0 && xx < w) px[row + xx] = color;
        }
      }
    };
    // Level of detail: at most LOD_POINTS points in view per frame, taken in the fixed
    // pseudo-random draw order, so a zoomed-out 1M-cell map shows a deterministic sample that
    // keeps every type's share (and costs ~LOD_POINTS, not n), and zooming in (fewer points on
    // screen) brings back every point.
    const list = new Int32Array(Math.min(n, LOD_POINTS));
    let shown = 0, k = 0;
    for (; k < n && shown < LOD_POINTS; ++k) {
      const i = this.order[k];
      const x = this.xy[2 * i] * sx + ox, y = oy - this.xy[2 * i + 1] * sx;
      sxArr[i] = x;
      syArr[i] = y;
      if (x < -r || y < -r || x >= w + r || y >= h + r) continue;
      list[shown++] = i;
      const gx = Math.floor(x / cell), gy = Math.floor(y / cell);
      if (gx >= 0 && gy >= 0 && gx < gw && gy < gh) ++count[gy * gw + gx + 1];
    }
    const sampled = k < n;  // stopped early: more points are in view than drawn
    this.detail = { shown, sampled, total: n };
    this.canvas.title = sampled
      ? `showing a fixed sample of ${shown.toLocaleString()} of ${n.toLocaleString()} cells: zoom in to see every cell`
      : '';
    // Two passes when highlighting: everything else dimmed first, the chosen level on top.
    const hl = this.highlight;
    for (const pass of hl >= -1 ? [0, 1] : [1]) {
      for (let j = 0; j < shown; ++j) {
        const i = list[j];
        const code = this.codes ? this.codes[i] : 0;
        const on = hl < -1 || code === hl;
        if ((pass === 0) === on) continue;
        plot(i, on ? colorOf(code) : packedDim);
      }
    }
    ctx.putImageData(img, 0, 0);
    this.image = img;
    // Finish the grid: cells -> point lists.
    for (let c = 1; c <= gw * gh; ++c) count[c] += count[c - 1];
    const fill = count.slice(0, gw * gh), items = new Int32Array(count[gw * gh]);
    for (let j = 0; j < shown; ++j) {  // hover finds only points on screen
      const i = list[j];
      const gx = Math.floor(sxArr[i] / cell), gy = Math.floor(syArr[i] / cell);
      if (gx >= 0 && gy >= 0 && gx < gw && gy < gh) items[fill[gy * gw + gx]++] = i;
    }
    this.grid = { cell, gw, gh, start: count, items, sx: sxArr, sy: syArr, dpr };
    if (this.hovered >= 0) this.drawHover();
  }

  nearest(cx, cy) {
    const g = this.grid;
    if (!g) return -1;
    const x = cx * g.dpr, y = cy * g.dpr;
    const gx = Math.floor(x / g.cell), gy = Math.floor(y / g.cell);
    let best = -1, bestD = (g.cell * 1.5) ** 2;
    for (let yy = gy - 1; yy <= gy + 1; ++yy) {
      for (let xx = gx - 1; xx <= gx + 1; ++xx) {
        if (xx < 0 || yy < 0 || xx >= g.gw || yy >= g.gh) continue;
        const c = yy * g.gw + xx;
        for (let k = g.start[c]; k < g.start[c + 1]; ++k) {
          const i = g.items[k];
          const d = (g.sx[i] - x) ** 2 + (g.sy[i] - y) ** 2;
          if (d < bestD) { bestD = d; best = i; }
        }
      }
    }
    return best;
  }

  drawHover() {
    const g = this.grid, i = this.hovered;
    const ctx = this.canvas.getContext('2d');
    ctx.save();
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 1.5 * g.dpr;
    ctx.beginPath();
    ctx.arc(g.sx[i], g.sy[i], 5 * g.dpr, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.restore();
  }

  attachEvents() {
    const c = this.canvas;
    let drag = null;
    c.addEventListener('mousemove', (e) => {
      const rect = c.getBoundingClientRect();
      const x = e.clientX - rect.left, y = e.clientY - rect.top;
      if (drag) {
        const v = this.view || this.fitView(c.width, c.height);
        const dpr = window.devicePixelRatio || 1;
        this.view = { ...v, cx: drag.cx - ((x - drag.x) * dpr) / v.scale, cy: drag.cy + ((y - drag.y) * dpr) / v.scale };
        this.requestDraw();
        return;
      }
      const i = this.nearest(x, y);
      if (i !== this.hovered) {
        this.hovered = i;
        this.canvas.getContext('2d').putImageData(this.image, 0, 0);  // no full redraw for hover
        if (i >= 0) this.drawHover();
      }
      if (this.tooltip) {
        if (i >= 0 && this.describe) {
          this.tooltip.textContent = this.describe(i);
          this.tooltip.style.left = `${x + 12}px`;
          this.tooltip.style.top = `${y + 12}px`;
          this.tooltip.hidden = false;
        } else this.tooltip.hidden = true;
      }
    });
    c.addEventListener('mouseleave', () => { drag = null; this.hovered = -1; if (this.tooltip) this.tooltip.hidden = true; this.draw(); });
    c.addEventListener('mousedown', (e) => {
      const rect = c.getBoundingClientRect();
      const v = this.view || this.fitView(c.width, c.height);
      drag = { x: e.clientX - rect.left, y: e.clientY - rect.top, cx: v.cx, cy: v.cy };
    });
    window.addEventListener('mouseup', () => { drag = null; });
    c.addEventListener('dblclick', () => { this.view = null; this.draw(); });
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = c.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      const v = this.view || this.fitView(c.width, c.height);
      const mx = (e.clientX - rect.left) * dpr, my = (e.clientY - rect.top) * dpr;
      // Keep the data point under the cursor fixed while scaling.
      const dx = (mx - c.width / 2) / v.scale + v.cx, dy = v.cy - (my - c.height / 2) / v.scale;
      const scale = v.scale * Math.exp(-e.deltaY * 0.0015);
      this.view = { scale, cx: dx - (mx - c.width / 2) / scale, cy: dy + (my - c.height / 2) / scale };
      this.requestDraw();
    }, { passive: false });
  }

  // One draw per animation frame however many wheel/drag events arrive (a draw of 200k points
  // takes ~50 ms on a slow machine).
  requestDraw() {
    if (this.drawPending) return;
    this.drawPending = true;
    requestAnimationFrame(() => { this.drawPending = false; this.draw(); });
  }

  toPNG() { return new Promise((resolve) => this.canvas.toBlob(resolve, 'image/png')); }

  // The current view as SVG (points inside the view only), sized like the canvas in CSS pixels.
  toSVG(title = '') {
    const { w, h, dpr } = this.size();
    const { sx, ox, oy } = this.toScreen(w, h);
    const n = this.xy.length / 2;
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w / dpr}" height="${h / dpr}" viewBox="0 0 ${w / dpr} ${h / dpr}">`,
      `<rect width="100%" height="100%" fill="#fff"/>`];
    if (title) parts.push(`<title>${escapeXml(title)}</title>`);
    const byColor = new Map();
    for (let k = 0; k < n; ++k) {
      const i = this.order[k];
      const x = (this.xy[2 * i] * sx + ox) / dpr, y = (oy - this.xy[2 * i + 1] * sx) / dpr;
      if (x < 0 || y < 0 || x > w / dpr || y > h / dpr) continue;
      const code = this.codes ? this.codes[i] : 0;
      const color = this.codes ? categoryColor(code) : categoryColor(0);
      if (!byColor.has(color)) byColor.set(color, []);
      byColor.get(color).push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="1.5"/>`);
    }
    for (const [color, circles] of byColor) parts.push(`<g fill="${color}">${circles.join('')}</g>`);
    parts.push('</svg>');
    return parts.join('\n');
  }
}

// A fixed pseudo-random order, so that no category is always drawn on top of another.
function drawOrder(n) {
  const order = new Int32Array(n);
  for (let i = 0; i < n; ++i) order[i] = i;
  let s = 0x9e3779b9;
  for (let i = n - 1; i > 0; --i) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    const j = s % (i + 1);
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  return order;
}

function escapeXml(s) { return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' }[c])); }
