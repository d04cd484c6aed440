// The predictions table, as `scpt annotate` writes it (tools/scpt/annotate_inputs.cpp,
// predictions_table): a header line, then per cell barcode, label (a type or Unassigned),
// confidence (%.4f); with probabilities, one column per type (%.4g). Tabs and line breaks in
// names become spaces. K-means groups (no labels) have no confidence: barcode, label only.

// C's %.<p>g: p significant digits, exponent form when the exponent is < -4 or >= p, trailing
// zeros dropped.
export function formatG(x, p = 4) {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const e = Number(x.toExponential(p - 1).split('e')[1]);
  if (e < -4 || e >= p) {
    let [m, ex] = x.toExponential(p - 1).split('e');
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    const n = Math.abs(Number(ex));
    return `${m}e${ex[0] === '-' ? '-' : '+'}${n < 10 ? '0' : ''}${n}`;
  }
  let s = x.toFixed(Math.max(0, p - 1 - e));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

export const tsvCell = (s) => String(s).replace(/[\t\n\r]/g, ' ');

export function predictionsTsv(r) {
  const cluster = r.mode === 'cluster';
  const levels = r.predicted.levels.map(tsvCell);
  const k = levels.length;
  const probs = !cluster && r.probabilities ? r.probabilities : null;
  const parts = [cluster ? 'barcode\tlabel' : `barcode\tlabel\tconfidence${probs ? '\t' + levels.join('\t') : ''}`];
  for (let i = 0; i < r.cells; ++i) {
    const code = r.predicted.codes[i];
    let line = `${tsvCell(r.barcodes[i])}\t${code >= 0 ? levels[code] : 'Unassigned'}`;
    if (!cluster) line += `\t${r.confidence[i].toFixed(4)}`;
    if (probs) for (let c = 0; c < k; ++c) line += `\t${formatG(probs[i * k + c])}`;
    parts.push(line);
  }
  return parts.join('\n') + '\n';
}
