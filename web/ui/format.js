// How the page writes figures and names: numbers with thousands separators, shares as percents,
// core's value kinds in words, and text made safe for innerHTML.
export const fmt = (n) => Number(n).toLocaleString('en-US');
export const pct = (x) => `${(100 * x).toFixed(1)}%`;

// core's value kinds (raw_counts, log_normalized, normalized, scaled) in words.
export function kindName(k) {
  return { raw_counts: 'raw counts', log_normalized: 'log-normalised', normalized: 'normalised', scaled: 'scaled' }[k] || k;
}

export function escapeHtml(s) { return String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' }[c])); }
