// Category colours: distinct, readable on white, friendly to the common colour-vision deficiencies
// for the first 8 (Okabe-Ito order), then a longer qualitative list; "no label" is light grey.
const BASE = [
  '#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000',
  '#8C564B', '#7F7F7F', '#BCBD22', '#17BECF', '#9467BD', '#FF9896', '#98DF8A', '#C5B0D5',
  '#C49C94', '#F7B6D2', '#DBDB8D', '#9EDAE5', '#393B79', '#637939', '#8C6D31', '#843C39',
];
export const MISSING = '#D0D0D0';

export function categoryColor(i) {
  if (i < 0) return MISSING;
  if (i < BASE.length) return BASE[i];
  // Beyond the list: golden-angle hues, still distinct enough for a legend lookup.
  const h = (i * 137.508) % 360;
  return `hsl(${h.toFixed(1)}, 55%, 45%)`;
}

// [r, g, b] of a colour string from categoryColor.
export function rgbOf(color) {
  if (color.startsWith('#')) return [1, 3, 5].map((k) => parseInt(color.slice(k, k + 2), 16));
  const [h, s, l] = color.match(/[\d.]+/g).map(Number);
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n) => { const k = (n + h / 30) % 12; return Math.round(255 * (l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)))); };
  return [f(0), f(8), f(4)];
}

// A colour dot (a legend's or a table cell's); styled through CSSOM because the CSP forbids inline
// style attributes.
export function swatch(code, tag = 'span') {
  const e = document.createElement(tag);
  if (tag === 'span') e.className = 'swatch';
  e.style.background = categoryColor(code);
  return e;
}
