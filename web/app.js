// The page: steps 1-3 (reference, labels, query), the run status with progress and cancel, and
// the results (summary, map, histogram, table, downloads). All heavy work happens in the worker
// (worker.js) through Engine; this file only keeps UI state.
import { Engine } from './worker-client.js';
import { ScatterPlot } from './ui/scatter.js';
import { drawHistogram } from './ui/histogram.js';
import { VirtualTable } from './ui/table.js';
import { categoryColor } from './ui/palette.js';
import { saveBlob, toCsv } from './ui/download.js';

const $ = (id) => document.getElementById(id);
const fmt = (n) => Number(n).toLocaleString('en-US');

const state = {
  reference: null,   // matrix info from the worker, or null
  query: null,
  labelColumn: '',   // the reference's metadata column holding cell types
  result: null,      // what the last run returned
  busy: false,
};

const engine = new Engine();
const ui = {
  status: $('status'), progress: $('progress'), error: $('error'), cancel: $('cancel'),
  annotate: $('annotate'), labelColumn: $('label-column'),
};
const plot = new ScatterPlot($('cell-map'), { tooltip: $('map-tooltip'), describe: describeCell });
const table = new VirtualTable($('table'));

// ------------------------------------------------------------------ status and errors

function setStatus(stateName, text) {
  ui.status.dataset.state = stateName;
  ui.status.textContent = text;
}

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = !message;
}

// Runs one engine request with the status line, progress bar and cancel button. Returns the
// value, or undefined when it failed (the message is shown; the page keeps what it had).
async function run(label, op, args, opts = {}) {
  state.busy = true;
  refreshButtons();
  showError('');
  setStatus('running', `${label}…`);
  ui.progress.removeAttribute('value');
  ui.cancel.hidden = false;
  try {
    const value = await engine.request(op, args, {
      ...opts,
      onProgress: (p) => {
        ui.progress.value = Math.max(0, Math.min(1, p.fraction));
        setStatus('running', p.message ? `${label}: ${p.message}` : `${label}…`);
      },
    });
    ui.progress.value = 1;
    setStatus('done', `${label}: done.`);
    return value;
  } catch (e) {
    ui.progress.value = 0;
    if (e.name === 'Cancelled') {
      setStatus('idle', `${label}: cancelled. Everything loaded before is still here.`);
    } else {
      setStatus('error', `${label}: failed.`);
      showError(e.message);
    }
    return undefined;
  } finally {
    ui.cancel.hidden = true;
    state.busy = false;
    refreshButtons();
  }
}

ui.cancel.addEventListener('click', () => {
  setStatus('running', 'Stopping…');
  engine.cancel();
});

function refreshButtons() {
  ui.annotate.disabled = state.busy || !state.query;
  $('go-hint').textContent = !state.query
    ? 'Load your cells (step 3) to start.'
    : !state.reference ? 'No reference yet: you will see a map of your cells.' : 'Ready.';
}

// ------------------------------------------------------------------ inputs

function describeMatrix(info) {
  const notes = (info.notes || []).map((n) => `<span class="note">${escapeHtml(n)}</span>`).join('');
  return `<b>${fmt(info.cells)} cells</b> × ${fmt(info.genes)} genes · ${escapeHtml(kindName(info.valueKind))}` +
    `<span class="note">${escapeHtml((info.files || []).join(', '))}</span>` +
    (info.valueExplanation ? `<span class="note">${escapeHtml(info.valueExplanation)}</span>` : '') + notes;
}

async function loadRole(role, files) {
  if (!files.length) return;
  const info = await run(`Reading ${role === 'reference' ? 'the reference' : 'your cells'}`, 'load', { role, files }, { keep: true });
  if (!info) return;
  state[role] = info;
  const box = $(`${role}-info`);
  box.innerHTML = describeMatrix(info);
  box.hidden = false;
  // Results computed from the earlier inputs no longer describe them.
  state.result = null;
  $('results').hidden = true;
  if (role === 'reference') {
    state.labelColumn = '';
    $('labels-info').hidden = true;
    fillLabelColumns(info);
  }
  refreshButtons();
}

function fillLabelColumns(info, select = '') {
  const sel = ui.labelColumn;
  sel.innerHTML = '';
  const cats = (info.obs || []).filter((c) => !c.numeric);
  sel.append(new Option(cats.length ? '— choose a column —' : 'no text columns: use a labels file', ''));
  for (const c of cats) sel.append(new Option(`${c.name} (${c.levels} types)`, c.name));
  sel.disabled = !cats.length;
  // Preselect the column that most likely holds cell types; the user can change it.
  const guess = cats.find((c) => /cell.?type|cell_ontology|annotation|label/i.test(c.name));
  sel.value = select || (guess ? guess.name : '');
  state.labelColumn = sel.value;
}

ui.labelColumn.addEventListener('change', () => { state.labelColumn = ui.labelColumn.value; });

async function loadLabels(file) {
  if (!state.reference) {
    setStatus('error', 'Labels: failed.');
    showError('Load the reference (step 1) before its labels.');
    return;
  }
  const r = await run('Reading labels', 'labels', { role: 'reference', file }, { keep: true });
  if (!r) return;
  state.reference = { ...state.reference, obs: r.info.obs };
  fillLabelColumns(state.reference, r.column);
  const box = $('labels-info');
  box.innerHTML = `<b>${fmt(r.matched)} of ${fmt(r.cells)} cells labelled</b> · ${fmt(r.classes)} types` +
    `<span class="note">${escapeHtml(file.name)}</span>`;
  box.hidden = false;
}

// File inputs, drag-and-drop of files or whole folders.
for (const drop of document.querySelectorAll('.drop')) {
  const role = drop.dataset.role;
  const input = drop.querySelector('input[type=file]');
  const take = (files) => (role === 'labels' ? files[0] && loadLabels(files[0]) : loadRole(role, files));
  input.addEventListener('change', () => { const files = [...input.files]; input.value = ''; take(files); });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    take(await droppedFiles(e.dataTransfer));
  });
}

// Files of a drop, descending into dropped folders (a 10x folder is usually dropped whole).
async function droppedFiles(dt) {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
  if (!entries.length) return [...dt.files];
  const out = [];
  const walk = async (entry, depth) => {
    if (entry.isFile) out.push(await new Promise((res, rej) => entry.file(res, rej)));
    else if (entry.isDirectory && depth < 3) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const e of batch) await walk(e, depth + 1);
      }
    }
  };
  for (const e of entries) await walk(e, 0);
  return out;
}

$('model-input').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  e.target.value = '';
  if (!file) return;
  const info = await run('Reading the model', 'loadModel', { file }, { keep: true });
  if (info) $('model-name').textContent = `Model: ${info.name} (${fmt(info.genes)} genes, ${info.hidden} dimensions)`;
});

// ------------------------------------------------------------------ run and results

ui.annotate.addEventListener('click', async () => {
  const r = await run('Annotating', 'annotate', { reference: 'reference', query: 'query', labelColumn: state.labelColumn, colorBy: state.labelColumn });
  if (r) showResult(r);
});

function showResult(r) {
  state.result = r;
  $('results').hidden = false;
  const preview = r.mode === 'preview';
  if (r.model) $('model-name').textContent = `Model: ${r.model.name} (${fmt(r.model.genes)} genes)`;
  $('summary').innerHTML =
    `<div class="figures"><div><b>${fmt(r.cells)}</b><span>cells</span></div>` +
    `<div><b>${fmt(r.genes)}</b><span>genes</span></div>` +
    `<div><b>${escapeHtml(kindName(r.valueKind))}</b><span>values</span></div>` +
    (r.predicted ? `<div><b>${fmt(r.predicted.levels.length)}</b><span>cell types found</span></div>` : '') + '</div>' +
    (preview ? '<p>Preview: no model is loaded, so this shows your cells on a map made from their expression ' +
      '(principal components, then UMAP) with their quality figures. Predictions will appear here.</p>' : '') +
    (r.encoding ? `<p>Encoded with ${escapeHtml(r.model.name)}: ${escapeHtml(r.encoding.summary)}; ${escapeHtml(r.encoding.transform)}. ` +
      'The map shows the cells in the model\'s embedding. Predictions will appear here.</p>' +
      r.encoding.notes.map((n) => `<p class="hint">${escapeHtml(n)}</p>`).join('') : '');
  fillColorBy(r);
  drawMap();
  $('hist-title').textContent = r.confidence ? 'Confidence of the predictions' : 'Genes detected per cell';
  drawHistogram($('histogram'), r.confidence || r.detected, { xlabel: r.confidence ? 'confidence' : 'genes detected' });
  fillTable(r);
  $('results').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

// Colourings available for the map: predictions, then any categorical the result carries.
function colorings(r) {
  const list = [];
  if (r.predicted) list.push({ name: 'Predicted type', ...r.predicted });
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

$('color-by').addEventListener('change', drawMap);

function currentColoring() {
  const list = state.result ? colorings(state.result) : [];
  return list[Number($('color-by').value)] || null;
}

function drawMap() {
  const r = state.result;
  const c = currentColoring();
  plot.setData(r.xy, c ? c.codes : null, c ? c.levels : []);
  const legend = $('legend');
  legend.innerHTML = '';
  if (!c) return;
  const counts = new Int32Array(c.levels.length);
  for (const code of c.codes) if (code >= 0) ++counts[code];
  c.levels.forEach((name, i) => {
    const li = document.createElement('li');
    li.append(swatch(i, 'i'), `${name} `);
    const n = document.createElement('span');
    n.className = 'hint';
    n.textContent = fmt(counts[i]);
    li.append(n);
    li.addEventListener('click', () => {
      const on = plot.highlight === i ? -2 : i;
      plot.setHighlight(on);
      for (const [k, el] of [...legend.children].entries()) el.classList.toggle('dim', on !== -2 && k !== on);
    });
    legend.append(li);
  });
}

function describeCell(i) {
  const r = state.result, c = currentColoring();
  const lines = [r.barcodes[i]];
  if (c) lines.push(c.codes[i] >= 0 ? c.levels[c.codes[i]] : '(no label)');
  if (r.confidence) lines.push(`confidence ${r.confidence[i].toFixed(2)}`);
  lines.push(`${fmt(r.detected[i])} genes detected`);
  return lines.join('\n');
}

function tableColumns(r) {
  const cols = [{ key: 'barcode', title: 'Cell', width: '2fr' }];
  if (r.predicted) {
    cols.push({ key: 'predicted', title: 'Predicted type', width: '2fr',
      render: (cell, v, row) => { cell.replaceChildren(swatch(r.predicted.codes[row]), v); } });
    cols.push({ key: 'confidence', title: 'Confidence', numeric: true, format: (v) => v.toFixed(3) });
  }
  (r.columns || []).slice(0, 3).forEach((c, i) => cols.push({ key: `column${i}`, title: c.name, width: '2fr' }));
  cols.push({ key: 'detected', title: 'Genes detected', numeric: true, format: fmt });
  cols.push({ key: 'total', title: 'Total', numeric: true, format: (v) => (Number.isInteger(v) ? fmt(v) : v.toFixed(1)) });
  return cols;
}

function cellValue(r, row, key) {
  switch (key) {
    case 'barcode': return r.barcodes[row];
    case 'predicted': return r.predicted.levels[r.predicted.codes[row]] ?? 'Unassigned';
    case 'confidence': return r.confidence[row];
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

$('table-filter').addEventListener('input', (e) => table.setFilter(e.target.value));

$('download-predictions').addEventListener('click', () => {
  const r = state.result;
  if (!r) return;
  const cols = tableColumns(r);
  const header = cols.map((c) => c.title).concat(['map_x', 'map_y']);
  const blob = toCsv(header, r.cells, (row) => cols.map((c) => cellValue(r, row, c.key)).concat([r.xy[2 * row], r.xy[2 * row + 1]]));
  saveBlob(blob, r.predicted ? 'predictions.csv' : 'cells.csv');
});
$('download-png').addEventListener('click', async () => saveBlob(await plot.toPNG(), 'cell-map.png'));
$('download-svg').addEventListener('click', () => saveBlob(new Blob([plot.toSVG('Map of the cells')], { type: 'image/svg+xml' }), 'cell-map.svg'));

// A colour dot; styled through CSSOM because the CSP forbids inline style attributes.
function swatch(code, tag = 'span') {
  const e = document.createElement(tag);
  if (tag === 'span') e.className = 'swatch';
  e.style.background = categoryColor(code);
  return e;
}

// core's value kinds (raw_counts, log_normalized, normalized, scaled) in words.
function kindName(k) {
  return { raw_counts: 'raw counts', log_normalized: 'log-normalised', normalized: 'normalised', scaled: 'scaled' }[k] || k;
}

function escapeHtml(s) { return String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' }[c])); }

// ------------------------------------------------------------------ start

(async () => {
  refreshButtons();
  try {
    const info = await engine.start();
    $('engine').textContent = `WebAssembly${info.simd ? ' · SIMD' : ''} · ${info.threadsUsed} thread${info.threadsUsed > 1 ? 's' : ''} · v${info.version}`;
    if (info.models.length) $('model-name').textContent = `Model: ${info.models[0]} (built in)`;
    if (!info.modelSupport) $('model-input').disabled = true;
    document.body.dataset.engine = 'ready';
  } catch (e) {
    $('engine').textContent = 'engine failed to start';
    setStatus('error', 'The analysis engine could not start.');
    showError(`${e.message}. This page needs a recent browser with WebAssembly (Chrome, Edge, Firefox or Safari from 2022 on).`);
  }
})();
