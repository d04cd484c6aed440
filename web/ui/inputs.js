// Steps 1-3 of the page: the reference, its labels, the cells to annotate and their known types,
// and a model file; from the file inputs or dropped files and folders. Files arrive in any order
// and at any time: labels chosen before their matrix, or while it is read, wait for it (state.pending)
// and are applied to the newest one. Labels that cannot be used keep Annotate off (go.js).
import { fmt, kindName, escapeHtml } from './format.js';
import { refreshButtons, refreshClassifiers } from './go.js';
import { markStale } from './results.js';

const $ = (id) => document.getElementById(id);
let state = null, run = null;
const ui = { labelColumn: $('label-column'), truthColumn: $('truth-column') };

// state: the page's (app.js); run: its run(label, op, args, opts) for engine requests.
export function setupInputs(page) {
  ({ state, run } = page);
  ui.labelColumn.addEventListener('change', () => { state.labelColumn = ui.labelColumn.value; fillTruthColumns(); refreshButtons(); });
  ui.truthColumn.addEventListener('change', () => { state.truthColumn = ui.truthColumn.value; });

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

  $('model-input').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    const info = await run('Reading the model', 'loadModel', { file }, { keep: true });
    if (info) $('model-name').textContent = `Model: ${info.name} (${fmt(info.genes)} genes, ${info.hidden} dimensions)`;
    if (info) await refreshClassifiers();
  });
}

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
      : $('error').textContent || 'reading them was cancelled';
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
