// The page's wiring: its state, the engine (the worker, through worker-client.js), the run status
// with progress and cancel, the Annotate request and the start. The parts, one idea each:
//   ui/inputs.js      steps 1-3: reference, labels, cells to annotate, known types, a model file
//   ui/go.js          what Annotate will do: the button, its hint, the classifier choice
//   ui/results.js     the results: summary, accuracy, map, histogram, table
//   ui/map_export.js  the downloads: predictions, .h5ad, the map as PNG/SVG
//   ui/teaching.js    the teaching view
// All heavy work happens in the worker (worker.js); the page only keeps UI state.
import { Engine } from './worker-client.js';
import { TeachingView } from './ui/teaching.js';
import { setupGo, refreshButtons, labelsWaitReason, chosenClassifier } from './ui/go.js';
import { setupInputs } from './ui/inputs.js';
import { setupResults, showResult } from './ui/results.js';
import { setupDownloads } from './ui/map_export.js';

const $ = (id) => document.getElementById(id);

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
const ui = { status: $('status'), progress: $('progress'), error: $('error'), cancel: $('cancel'), annotate: $('annotate') };
// The teaching view: the method on the loaded cells, through the same run() (status, progress, cancel).
const teaching = new TeachingView($('teaching'), { run, state: () => state, options: () => settings() });
const page = { state, engine, run, onRefresh: () => teaching.refresh() };
setupGo(page);
setupInputs(page);
setupResults(page);
setupDownloads(page);

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

// ------------------------------------------------------------------ annotate

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
