// The results of a run: the summary (figures, notices, the types found, the warnings), the accuracy
// against known types with the confusion matrix, the map of the cells with its colourings and
// legend, the histogram and the table of cells. Results stay when the inputs change, marked stale.
import { ScatterPlot } from './scatter.js';
import { drawHistogram } from './histogram.js';
import { VirtualTable } from './table.js';
import { swatch } from './palette.js';
import { fillConfusion } from './confusion.js';
import { fmt, pct, kindName, escapeHtml } from './format.js';

const $ = (id) => document.getElementById(id);
let state = null;
export const plot = new ScatterPlot($('cell-map'), { tooltip: $('map-tooltip'), describe: describeCell });
const table = new VirtualTable($('table'));

// state: the page's (app.js); state.result is the result shown.
export function setupResults(page) {
  ({ state } = page);
  $('color-by').addEventListener('change', drawMap);
  $('table-filter').addEventListener('input', (e) => table.setFilter(e.target.value));
}

export function markStale() {
  if (!state.result) return;
  state.stale = true;
  const s = $('summary');
  if (!s.querySelector('.stale')) s.insertAdjacentHTML('afterbegin', '<p class="stale">These results are from the earlier inputs: annotate again for the new ones.</p>');
}

export function showResult(r) {
  state.result = r;
  state.stale = false;
  $('results').hidden = false;
  const annotated = r.mode === 'annotate';
  $('download-h5ad').hidden = !annotated;  // as `scpt annotate --out-h5ad`: for labels, not K-means groups
  const counts = new Array(r.predicted.levels.length).fill(0);
  let unassigned = 0;
  for (const c of r.predicted.codes) if (c < 0) ++unassigned; else ++counts[c];
  if (r.model) $('model-name').textContent = `Model: ${r.model.name} (${fmt(r.model.genes)} genes)`;
  else $('model-name').textContent = 'No pre-trained model: trained without pre-training.';
  const types = r.predicted.levels.map((name, i) => ({ name, n: counts[i], i })).sort((a, b) => b.n - a.n);
  const f = r.fit;
  const fig = (value, label) => `<div><b>${value}</b><span>${label}</span></div>`;
  let html = '<div class="figures">' + fig(fmt(r.cells), annotated ? 'cells annotated' : 'cells grouped') +
    fig(fmt(types.filter((t) => t.n).length), annotated ? 'cell types found' : 'clusters') +
    (annotated ? fig(pct(unassigned / Math.max(1, r.cells)), 'Unassigned') : '') +
    (annotated ? fig(fmt(f ? f.genesUsed : r.classifier.genesMatched), 'genes used') : fig(fmt(r.genes), 'genes')) +
    fig(escapeHtml(kindName(r.valueKind)), 'values') +
    (r.truth && r.truth.named ? fig(pct(r.truth.accuracy), `accuracy on ${escapeHtml(r.truth.column)}`) : '') + '</div>';
  html += r.notices.map((n) => `<p class="notice">${escapeHtml(n)}</p>`).join('');
  html += '<ul class="types">' + types.map((t) => `<li data-type="${escapeHtml(t.name)}">${escapeHtml(t.name)}: <b>${fmt(t.n)}</b></li>`).join('') +
    (annotated ? `<li data-type="Unassigned">Unassigned: <b>${fmt(unassigned)}</b></li>` : '') + '</ul>';
  if (annotated && r.classifier) {
    html += `<p class="hint">Classifier ${escapeHtml(r.classifier.name)} of the model (${r.classes.length} types): ` +
      `${escapeHtml(r.classifier.description)} ` +
      `Your cells: ${escapeHtml(r.queryGenes)}; values ${escapeHtml(r.queryTransform)}.</p>`;
  } else if (annotated) {
    const labelled = f.classCounts.reduce((a, b) => a + b, 0);
    html += `<p class="hint">Reference: ${fmt(labelled)} labelled cells of ${f.classes.length} types; values ${escapeHtml(f.referenceTransform)}. ` +
      (f.hasModel ? `Model: ${escapeHtml(f.modelMatch)}. ` : 'No pre-training. ') +
      `Fine-tuning, ${escapeHtml(f.description)}. ` +
      `Your cells: ${escapeHtml(r.queryGenes)}; values ${escapeHtml(r.queryTransform)}.</p>`;
  }
  if (r.valueExplanation && !(r.warnings || []).length) html += `<p class="hint">${escapeHtml(r.valueExplanation)}</p>`;
  html += (r.warnings || []).map((w) => `<p class="warning">${annotated ? 'Warning: ' : ''}${escapeHtml(w)}</p>`).join('');
  $('summary').innerHTML = html;
  showAccuracy(r.truth);
  fillColorBy(r);
  drawMap();
  $('hist-title').textContent = r.confidence ? 'Confidence of the predictions' : 'Genes detected per cell';
  drawHistogram($('histogram'), r.confidence || r.detected, r.confidence ? { xlabel: 'confidence', lo: 0, hi: 1 } : { xlabel: 'genes detected' });
  fillTable(r);
  $('results').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// Accuracy against known types and the confusion matrix (rows: known, columns: predicted).
function showAccuracy(t) {
  $('accuracy-panel').hidden = !t;
  if (!t) return;
  $('accuracy').innerHTML = t.named
    ? `<b>Accuracy ${pct(t.accuracy)}</b> on ${fmt(t.cells)} cells with a known type ` +
      `(${escapeHtml(t.column)}); ${pct(t.accuracyAssigned)} of the ${fmt(t.assigned)} cells given a type; ` +
      `macro-F1 ${t.macroF1.toFixed(3)}. ` +
      '<span class="hint">Known types the reference does not have can only count as wrong.</span>'
    : `<b>Clusters against the known types</b> (${escapeHtml(t.column)}) of ${fmt(t.cells)} cells.`;
  fillConfusion($('confusion'), t);
}

// Colourings available for the map: predictions, then any categorical the result carries.
function colorings(r) {
  const list = [];
  if (r.predicted) list.push({ name: r.mode === 'cluster' ? 'Cluster' : 'Predicted type', ...r.predicted });
  for (const c of r.columns || []) list.push(c);
  return list;
}

function fillColorBy(r) {
  const sel = $('color-by');
  sel.innerHTML = '';
  const list = colorings(r);
  if (!list.length) sel.append(new Option('one colour', ''));
  list.forEach((c, i) => sel.append(new Option(c.name, String(i))));
  sel.disabled = list.length < 2;
}

export function currentColoring() {
  const list = state.result ? colorings(state.result) : [];
  return list[Number($('color-by').value)] || null;
}

// The map shows the predictions (the first colouring), not one of the cells' own columns.
export const colouredByPrediction = () => Number($('color-by').value || 0) === 0;

function drawMap() {
  const r = state.result;
  const c = currentColoring();
  plot.setData(r.xy, c ? c.codes : null, c ? c.levels : []);
  const legend = $('legend');
  legend.innerHTML = '';
  if (!c) return;
  const counts = new Int32Array(c.levels.length);
  let none = 0;
  for (const code of c.codes) if (code >= 0) ++counts[code]; else ++none;
  const entry = (i, name, n) => {
    const li = document.createElement('li');
    li.append(swatch(i, 'i'), `${name} `);
    const s = document.createElement('span');
    s.className = 'hint';
    s.textContent = fmt(n);
    li.append(s);
    return li;
  };
  c.levels.forEach((name, i) => {
    const li = entry(i, name, counts[i]);
    li.addEventListener('click', () => {
      const on = plot.highlight === i ? -2 : i;
      plot.setHighlight(on);
      for (const [k, el] of [...legend.children].entries()) el.classList.toggle('dim', on !== -2 && k !== on);
    });
    legend.append(li);
  });
  if (none) legend.append(entry(-1, colouredByPrediction() && r.mode === 'annotate' ? 'Unassigned' : '(none)', none));
}

function labelOf(r, row) {
  const code = r.predicted.codes[row];
  return code >= 0 ? r.predicted.levels[code] : 'Unassigned';
}

function describeCell(i) {
  const r = state.result, c = currentColoring();
  const lines = [r.barcodes[i], labelOf(r, i)];
  if (r.confidence) lines.push(`confidence ${r.confidence[i].toFixed(2)}`);
  if (c && !colouredByPrediction()) lines.push(`${c.name}: ${c.codes[i] >= 0 ? c.levels[c.codes[i]] : '(none)'}`);
  lines.push(`${fmt(r.detected[i])} genes detected`);
  return lines.join('\n');
}

function tableColumns(r) {
  const cols = [{ key: 'barcode', title: 'Cell', width: '2fr' }];
  cols.push({ key: 'predicted', title: r.mode === 'cluster' ? 'Cluster' : 'Predicted type', width: '2fr',
    render: (cell, v, row) => { cell.replaceChildren(swatch(r.predicted.codes[row]), v); } });
  if (r.confidence) cols.push({ key: 'confidence', title: 'Confidence', numeric: true, format: (v) => v.toFixed(3) });
  if (r.cellLabel) cols.push({ key: 'cellLabel', title: 'Own label (before the vote)', width: '2fr' });
  (r.columns || []).slice(0, 3).forEach((c, i) => cols.push({ key: `column${i}`, title: c.name, width: '2fr' }));
  cols.push({ key: 'detected', title: 'Genes detected', numeric: true, format: fmt });
  cols.push({ key: 'total', title: 'Total', numeric: true, format: (v) => (Number.isInteger(v) ? fmt(v) : v.toFixed(1)) });
  return cols;
}

function cellValue(r, row, key) {
  switch (key) {
    case 'barcode': return r.barcodes[row];
    case 'predicted': return labelOf(r, row);
    case 'confidence': return r.confidence[row];
    case 'cellLabel': return r.cellLabel[row] < 0 ? 'Unassigned' : r.predicted.levels[r.cellLabel[row]];
    case 'detected': return r.detected[row];
    case 'total': return r.total[row];
    default: {
      const c = key.startsWith('column') ? r.columns[Number(key.slice(6))] : null;
      return c && c.codes[row] >= 0 ? c.levels[c.codes[row]] : '';
    }
  }
}

function fillTable(r) {
  table.setData(tableColumns(r), r.cells, (row, key) => cellValue(r, row, key));
  $('table-filter').value = '';
}
