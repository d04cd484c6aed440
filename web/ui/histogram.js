// A small histogram on a canvas (confidence of predictions, genes detected per cell), with a few
// axis ticks; crisp at any device pixel ratio.
export function drawHistogram(canvas, values, { bins = 40, xlabel = '', color = '#0072B2', lo = null, hi = null } = {}) {
  const dpr = window.devicePixelRatio || 1;
  const W = Math.max(1, canvas.clientWidth), H = Math.max(1, canvas.clientHeight);
  canvas.width = Math.round(W * dpr);
  canvas.height = Math.round(H * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, W, H);
  const n = values.length;
  if (!n) return;
  let a = lo, b = hi;
  if (a === null || b === null) {
    let mn = Infinity, mx = -Infinity;
    for (let i = 0; i < n; ++i) { const v = values[i]; if (v < mn) mn = v; if (v > mx) mx = v; }
    if (a === null) a = mn;
    if (b === null) b = mx > mn ? mx : mn + 1;
  }
  const counts = new Float64Array(bins);
  for (let i = 0; i < n; ++i) {
    const k = Math.min(bins - 1, Math.max(0, Math.floor(((values[i] - a) / (b - a)) * bins)));
    counts[k] += 1;
  }
  const top = Math.max(...counts);
  const m = { l: 40, r: 16, t: 8, b: 30 };  // room for the last tick's label
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  ctx.fillStyle = color;
  for (let k = 0; k < bins; ++k) {
    const bh = (counts[k] / top) * ph;
    ctx.fillRect(m.l + (k * pw) / bins + 0.5, m.t + ph - bh, pw / bins - 1, bh);
  }
  ctx.fillStyle = '#444';
  ctx.strokeStyle = '#999';
  ctx.font = '11px system-ui, sans-serif';
  ctx.beginPath();
  ctx.moveTo(m.l, m.t + ph + 0.5);
  ctx.lineTo(m.l + pw, m.t + ph + 0.5);
  ctx.stroke();
  ctx.textAlign = 'center';
  for (let t = 0; t <= 4; ++t) {
    const v = a + ((b - a) * t) / 4;
    ctx.fillText(formatTick(v), m.l + (pw * t) / 4, m.t + ph + 14);
  }
  if (xlabel) ctx.fillText(xlabel, m.l + pw / 2, H - 2);
  ctx.textAlign = 'right';
  ctx.fillText(String(top), m.l - 4, m.t + 10);
  ctx.fillText('0', m.l - 4, m.t + ph);
}

function formatTick(v) {
  const a = Math.abs(v);
  if (a >= 1000) return `${(v / 1000).toFixed(a >= 10000 ? 0 : 1)}k`;
  if (a >= 10 || v === 0) return v.toFixed(0);
  return v.toFixed(2);
}
