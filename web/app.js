// The page: steps 1-3 (reference, labels, query), the run status with progress and cancel, and
// the results (summary, map, histogram, table, downloads). All heavy work happens in the worker
// (worker.js) through Engine; this file only keeps UI state.
import { Engine } from './worker-client.js';
import { ScatterPlot } from './ui/scatter.js';
import { drawHistogram } from './ui/histogram.js';
import { VirtualTable } from './ui/table.js';
import { categoryColor } from './ui/palette.js';
import { saveBlob } from './ui/download.js';
import { fillConfusion } from './ui/confusion.js';
import { TeachingView } from './ui/teaching.js';

const $ = (id) => document.getElementById(id);
const fmt = (n) => Number(n).toLocaleString('en-US');

const state = {
  reference: null,   // matrix info from the worker, or null
  query: null,
  labelColumn: '',   // the reference's metadata column holding cell types
  truthColumn: '',   // known types of the cells to annotate (scoring only)
  classifiers: [],   // the model's reference classifiers with how the cells' genes cover each
  result: null,      // what the last run returned
  stale: false,      // inputs changed since the result was made
  busy: 0,           // requests running (a labels file may be read right after its reference)
  // Files arrive in any order and at any time: a role being read, and labels chosen before what
  // they belong to is read, wait here and are applied once it is (to the newest matrix).
  loading: { reference: 0, query: 0 },  // reads under way per role (a second may follow the first)
  pending: { labels: null, queryLabels: null },  // File objects
  // Labels the user gave that could not be used ({file, message}): Annotate stays off until the
  // user gives others, removes them or loads the reference they belong to (never a fallback).
  labelsProblem: null,
};

// ?hdf5Timeout=S: seconds of silence from libhdf5 before an HDF5 file is deemed stuck (tests use a few).
const hdf5Timeout = Number(new URLSearchParams(location.search).get('hdf5Timeout'));
const engine = new Engine(undefined, hdf5Timeout > 0 ? { hdf5TimeoutMs: hdf5Timeout * 1000 } : {});
const ui = {
  status: $('status'), progress: $('progress'), error: $('error'), cancel: $('cancel'),
  annotate: $('annotate'), labelColumn: $('label-column'), truthColumn: $('truth-column'),
  classifier: $('classifier'),
};
const plot = new ScatterPlot($('cell-map'), { tooltip: $('map-tooltip'), describe: describeCell });
const table = new VirtualTable($('table'));
// The teaching view: the method on the loaded cells, through the same run() (status, progress, cancel).
const teaching = new TeachingView($('teaching'), { run, state: () => state, options: () => settings() });

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
  state.busy += 1;
  refreshButtons();
  showError('');
  setStatus('running', `${label}…`);
  ui.progress.removeAttribute('value');
  ui.cancel.hidden = false;
  try {
    const value = await engine.request(op, args, {
      ...opts,
      onProgress: (p) => {
        // A step that cannot say how far it is (a logistic regression fit) shows a moving bar.
        if (p.fraction > 0) ui.progress.value = Math.min(1, p.fraction);
        else ui.progress.removeAttribute('value');
        setStatus('running', `${label}: ${stageText(p)}`);
        if (opts.onProgress) opts.onProgress(p);
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
    state.busy -= 1;
    ui.cancel.hidden = state.busy === 0;
    refreshButtons();
  }
}

// One line per progress event: the step in words, then core's own message.
function stageText(p) {
  const step = { read: 'reading', encode: 'encoding with the model', pca: 'principal components', finetune: 'fine-tuning',
    predict: 'predicting', map: 'making the map', layout: 'making the map', kmeans: 'grouping the cells' }[p.stage] || p.stage;
  const acc = p.stage === 'finetune' && p.value > 0 && !/val acc/.test(p.message) ? ` (validation accuracy ${(100 * p.value).toFixed(1)}%)` : '';
  return p.message ? `${step}: ${p.message}${acc}` : `${step}…`;
}

ui.cancel.addEventListener('click', () => {
  setStatus('running', 'Stopping…');
  engine.cancel();
});

function refreshButtons() {
  const waiting = labelsWaitReason();
  ui.annotate.disabled = state.busy > 0 || (!state.query && !state.reference) || !!waiting;
  const labelled = state.reference && state.labelColumn;
  const offer = !labelled && (state.query || state.reference) && state.classifiers.length > 0 && !$('no-pretrained').checked;
  $('classifier-field').hidden = !offer;
  $('classifier-hint').hidden = !offer;
  const chosen = chosenClassifier();
  $('go-hint').textContent = waiting || (!state.query && !state.reference
    ? 'Load your cells (step 3), or a reference with some cells labelled, to start.'
    : labelled ? (state.query ? 'Ready: the reference\'s types will be given to your cells.' : 'Ready: the reference\'s unlabelled cells will be annotated.')
      : chosen ? `No labels: your cells will be labelled by the classifier ${chosen}.`
        : 'No labels: your cells will be grouped into clusters.');
  teaching.refresh();
}

// Why Annotate must wait for labels the user gave ('' when it need not): labels not applied yet,
// or labels that could not be used (annotating without them would silently ignore the user's types).
function labelsWaitReason() {
  const p = state.labelsProblem;
  if (p) return `The labels in ${p.file.name} could not be used: ${p.message.replace(/\.+$/, '')}. Choose another labels file ` +
    '(step 2), load the reference they belong to, or remove them, before annotating.';
  if (state.pending.labels) return `Waiting for the reference (step 1) to be read before its labels (${state.pending.labels.name}).`;
  if (state.pending.queryLabels) return `Waiting for your cells to be read before their known types (${state.pending.queryLabels.name}).`;
  return '';
}

// The classifier to label cells without labels with ('' = K-means groups).
function chosenClassifier() {
  return $('classifier-field').hidden ? '' : ui.classifier.value;
}

// The model's reference classifiers, offered when there are no labels. Each option names the
// classifier's description, how many of its genes the cells have and whether it fits them (core's
// classifier_fit: species, and the share of a sample of the cells typical of its types). Only a
// classifier that fits is pre-selected (the one whose genes the cells express most); when none
// does, K-means: a classifier made for other cells would label every cell with its own types.
async function refreshClassifiers() {
  const role = state.query ? 'query' : state.reference ? 'reference' : '';
  let list = [];
  if (role) {
    try {
      list = await engine.request('classifiers', { role });
    } catch {
      list = [];  // no model, or an old module: the K-means flow stays
    }
  }
  state.classifiers = list;
  const sel = ui.classifier;
  sel.innerHTML = '';
  sel.append(new Option('none: group cells by K-means', ''));
  // How much the cells express the classifier's genes (coverage alone ties on full-transcriptome data).
  const cover = (c) => (c.expressed !== undefined ? c.expressed : c.genes ? c.matched / c.genes : 0);
  let best = null;
  for (const c of list) {
    // Its description's first words ("Human PBMC (10x v2, ...": "Human PBMC") name it in the list;
    // the whole description is the option's tooltip and the hint below.
    const short = (c.description || 'no description').split(/[(;:.]/)[0].trim();
    const o = new Option(`${c.name}: ${short} (${fmt(c.matched)} of its ${fmt(c.genes)} genes found) · ${fitWords(c)}`, c.name);
    o.title = c.description || '';
    sel.append(o);
    if (c.fits === true && (!best || cover(c) > cover(best))) best = c;
  }
  // New cells or a new model: the best one again (an earlier pick may not fit these cells).
  sel.value = best ? best.name : '';
  describeClassifier();
  refreshButtons();
}

// "fits: 92% of cells typical" / "does not fit: mouse cells, a human classifier; ...".
function fitWords(c) {
  if (c.fits === undefined) return 'fit not checked';
  return c.fits ? `fits: ${pct(c.typical)} of sampled cells typical of its types` : `does not fit: ${c.verdict}`;
}

function describeClassifier() {
  const c = state.classifiers.find((x) => x.name === ui.classifier.value);
  const why = state.classifiers.filter((x) => !x.fits).map((x) => `${x.name}: ${x.verdict}`).join('; ');
  $('classifier-hint').textContent = c ? `${(c.description || c.name).replace(/\.+$/, '')}. ${fmt(c.matched)} of its ${fmt(c.genes)} genes are in your cells` +
    (c.matched < Math.min(50, c.genes) ? ': too few to use it.' : '.') +
    (c.fits ? ` It fits your cells: ${c.verdict}.` : c.fits === false ? ` It does not fit your cells (${c.verdict}): its labels would likely be wrong.` : '')
    : 'The cells will be grouped by K-means on the model\'s embedding: groups, not cell types.' +
      (why && !state.classifiers.some((x) => x.fits) ? ` No classifier of the model fits them (${why}).` : '');
}

ui.classifier.addEventListener('change', () => { describeClassifier(); refreshButtons(); });
$('no-pretrained').addEventListener('change', refreshButtons);

// ------------------------------------------------------------------ inputs

function describeMatrix(info) {
  const notes = (info.notes || []).map((n) => `<span class="note">${escapeHtml(n)}</span>`).join('');
  return `<b>${fmt(info.cells)} cells</b> × ${fmt(info.genes)} genes · ${escapeHtml(kindName(info.valueKind))}` +
    `<span class="note">${escapeHtml((info.files || []).join(', '))}</span>` +
    (info.valueExplanation ? `<span class="note">${escapeHtml(info.valueExplanation)}</span>` : '') + notes;
}

async function loadRole(role, files) {
  if (!files.length) return;
  state.loading[role] += 1;
  let info;
  try {
    info = await run(`Reading ${role === 'reference' ? 'the reference' : 'your cells'}`, 'load', { role, files }, { keep: true });
  } finally {
    state.loading[role] -= 1;
  }
  if (!info) {
    await applyPending();  // labels waiting for this read go to the matrix the page still has
    return;
  }
  state[role] = info;
  const box = $(`${role}-info`);
  box.innerHTML = describeMatrix(info);
  box.hidden = false;
  if (role === 'query') {
    // Without a query the reference's unlabelled cells are annotated: let the user go back to that.
    const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'link-button', id: 'remove-query',
      textContent: 'remove these cells' });
    remove.addEventListener('click', removeQuery);
    box.append(remove);
  }
  // Results computed from the earlier inputs stay (and stay downloadable), marked as such.
  markStale();
  if (role === 'reference') {
    state.labelColumn = '';
    // A new reference starts without the labels that could not be used on the earlier one (a
    // labels file still waiting for its reference is kept and applied below).
    state.labelsProblem = null;
    if (!state.pending.labels) $('labels-info').hidden = true;
    fillLabelColumns(info);
  } else {
    $('query-labels-info')?.remove();
  }
  fillTruthColumns();
  refreshButtons();
  await applyPending();
  await refreshClassifiers();
}

// Applies labels files that were waiting for their matrix, once nothing they could belong to is
// still being read: the reference's labels to the reference; known types to the query, or to the
// reference when there is no query.
async function applyPending() {
  const p = state.pending;
  if (p.labels && state.reference && !state.loading.reference) {
    const file = p.labels;
    p.labels = null;
    await loadLabels(file);
  }
  if (p.queryLabels && (state.query || state.reference) && !state.loading.query && !state.loading.reference) {
    const file = p.queryLabels;
    p.queryLabels = null;
    $('query-labels-pending').hidden = true;
    await loadQueryLabels(file);
  }
  refreshButtons();
}

// The labels box for labels not in use: waiting for their reference, or unusable (with why). A
// link removes them, so the user can go on without them.
function showLabelsState(file, text) {
  const box = $('labels-info');
  box.innerHTML = `<b>${escapeHtml(file.name)}</b>: ${escapeHtml(text)}`;
  const remove = Object.assign(document.createElement('button'), { type: 'button', className: 'link-button', id: 'remove-labels',
    textContent: 'remove these labels' });
  remove.addEventListener('click', () => {
    state.pending.labels = null;
    state.labelsProblem = null;
    box.hidden = true;
    box.innerHTML = '';
    refreshButtons();
  });
  box.append(' ', remove);
  box.hidden = false;
}

async function removeQuery() {
  if (state.busy) return;
  if ((await run('Removing your cells', 'drop', { role: 'query' }, { keep: true })) === undefined) return;
  state.query = null;
  $('query-info').hidden = true;
  $('query-info').innerHTML = '';
  markStale();
  fillTruthColumns();
  refreshButtons();
  await refreshClassifiers();
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

ui.labelColumn.addEventListener('change', () => { state.labelColumn = ui.labelColumn.value; fillTruthColumns(); refreshButtons(); });
ui.truthColumn.addEventListener('change', () => { state.truthColumn = ui.truthColumn.value; });

// Known types of the cells to annotate: the query's text columns, or, without a query, the
// reference's other ones (its unlabelled cells are the ones annotated).
function fillTruthColumns(select = '') {
  const target = state.query || state.reference;
  const sel = ui.truthColumn;
  const keep = select || state.truthColumn;
  sel.innerHTML = '';
  sel.append(new Option('none', ''));
  const cats = target ? (target.obs || []).filter((c) => !c.numeric && !(target === state.reference && c.name === state.labelColumn)) : [];
  for (const c of cats) sel.append(new Option(`${c.name} (${c.levels} types)`, c.name));
  sel.disabled = !cats.length;
  sel.value = cats.some((c) => c.name === keep) ? keep : '';
  state.truthColumn = sel.value;
}

function markStale() {
  if (!state.result) return;
  state.stale = true;
  const s = $('summary');
  if (!s.querySelector('.stale')) s.insertAdjacentHTML('afterbegin', '<p class="stale">These results are from the earlier inputs: annotate again for the new ones.</p>');
}

async function loadLabels(file) {
  state.labelsProblem = null;
  if (!state.reference || state.loading.reference) {
    // Kept until the reference is read (chosen before it, or while it is being read).
    state.pending.labels = file;
    showLabelsState(file, state.loading.reference ? 'waiting for the reference to be read' : 'waiting for the reference (step 1)');
    refreshButtons();
    return;
  }
  const r = await run('Reading labels', 'labels', { role: 'reference', file }, { keep: true });
  if (!r || !r.matched) {
    // Never annotated without them (a shipped classifier or K-means would ignore the user's types).
    const message = r ? 'no cell of the reference has a barcode of this file'
      : ui.error.textContent || 'reading them was cancelled';
    state.labelsProblem = { file, message };
    showLabelsState(file, `could not be used: ${message}`);
    refreshButtons();
    return;
  }
  state.reference = { ...state.reference, obs: r.info.obs };
  fillLabelColumns(state.reference, r.column);
  fillTruthColumns();
  markStale();
  refreshButtons();
  const box = $('labels-info');
  box.innerHTML = `<b>${fmt(r.matched)} of ${fmt(r.cells)} cells labelled</b> · ${fmt(r.classes)} types` +
    `<span class="note">${escapeHtml(file.name)}</span>` +
    (r.warnings || []).map((w) => `<span class="note">${escapeHtml(w)}</span>`).join('');  // e.g. matched without the 10x suffix
  box.hidden = false;
}

// Known types of the cells to annotate, from a labels file: attached to the query (or, without
// one, to the reference) as a metadata column, then offered for scoring.
async function loadQueryLabels(file) {
  const role = state.query ? 'query' : state.reference ? 'reference' : '';
  if (!role || state.loading.query || state.loading.reference) {
    // Kept until the cells they belong to are read.
    state.pending.queryLabels = file;
    const note = $('query-labels-pending');
    note.textContent = `${file.name}: waiting for your cells to be read`;
    note.hidden = false;
    refreshButtons();
    return;
  }
  const r = await run('Reading known types', 'labels', { role, file }, { keep: true });
  if (!r) return;
  state[role] = { ...state[role], obs: r.info.obs };
  if (role === 'reference') fillLabelColumns(state.reference, state.labelColumn);
  fillTruthColumns(r.column);
  const box = $(`${role}-info`);
  box.querySelector('#query-labels-info')?.remove();
  box.insertAdjacentHTML('beforeend', `<span class="note" id="query-labels-info">known types: ${fmt(r.matched)} cells, ` +
    `${fmt(r.classes)} types (${escapeHtml(file.name)})` + (r.warnings || []).map((w) => ` · ${escapeHtml(w)}`).join('') + '</span>');
}

// File inputs, drag-and-drop of files or whole folders.
for (const drop of document.querySelectorAll('.drop')) {
  const role = drop.dataset.role;
  const input = drop.querySelector('input[type=file]');
  const take = (files) => (role === 'labels' ? files[0] && loadLabels(files[0])
    : role === 'query-labels' ? files[0] && loadQueryLabels(files[0]) : loadRole(role, files));
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
  if (info) await refreshClassifiers();
});

// ------------------------------------------------------------------ run and results

// The page's options, by the names of `scpt annotate`'s flags (core/app/annotate_settings.hpp).
function settings() {
  const seed = Math.max(0, Math.floor(Number($('seed').value) || 0));
  return { seed, finetune: $('finetune').value, unknown: $('unknown').value, 'no-pretrained': $('no-pretrained').checked,
    probabilities: $('probabilities').checked, 'majority-voting': $('majority-voting').checked,
    'over-cluster-cells': Math.max(1, Math.floor(Number($('over-cluster-cells').value) || 20)) };
}

ui.annotate.addEventListener('click', async () => {
  if (labelsWaitReason()) return;
  // Messages name a dataset by its matrix file (a 10x folder's other files add nothing).
  const nameOf = (info, fallback) => {
    const files = (info && info.files) || [];
    return files.find((f) => /matrix\.mtx/i.test(f)) || files[0] || fallback;
  };
  const names = { reference: nameOf(state.reference, 'the reference'), query: nameOf(state.query, 'your cells') };
  const r = await run('Annotating', 'annotate', {
    reference: state.reference ? 'reference' : '', query: state.query ? 'query' : '',
    labelColumn: state.reference ? state.labelColumn : '', truthColumn: state.truthColumn, names, settings: settings(),
    classifier: chosenClassifier(),
  });
  if (r) showResult(r);
});

const pct = (x) => `${(100 * x).toFixed(1)}%`;

function showResult(r) {
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

$('color-by').addEventListener('change', drawMap);

function currentColoring() {
  const list = state.result ? colorings(state.result) : [];
  return list[Number($('color-by').value)] || null;
}

// The map shows the predictions (the first colouring), not one of the cells' own columns.
const colouredByPrediction = () => Number($('color-by').value || 0) === 0;

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

$('table-filter').addEventListener('input', (e) => table.setFilter(e.target.value));

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
    const isolation = document.documentElement.dataset.isolation;  // how the static site got its threads (web/site/boot.js)
    $('engine').textContent = `WebAssembly${info.simd ? ' · SIMD' : ''} · ${info.threadsUsed} thread${info.threadsUsed > 1 ? 's' : ''} · v${info.version}` +
      (isolation ? ` · ${isolation}` : '');
    const shipped = info.models.includes('default.scpt') ? 'default.scpt' : info.models[0];
    $('model-name').textContent = shipped ? `Model: ${shipped} (built in)`
      : 'No pre-trained model in this installation: annotation trains without pre-training.';
    if (!info.modelSupport) $('model-input').disabled = true;
    document.body.dataset.engine = 'ready';
  } catch (e) {
    $('engine').textContent = 'engine failed to start';
    setStatus('error', 'The analysis engine could not start.');
    showError(`${e.message}. This page needs a recent browser with WebAssembly (Chrome, Edge, Firefox or Safari from 2022 on).`);
  }
})();
