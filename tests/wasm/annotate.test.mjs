// The module's annotate (wasm/annotate_api.cpp) against the native `scpt annotate`: same inputs,
// same seed, so the same labels (core is deterministic and platform-independent: scpt::Rng, no
// std:: distributions; what differs is only float rounding between native and wasm code paths).
// Real data from ../shared/data; a small model is pre-trained for the test with `scpt pretrain`.
// Needs build/bin/scpt (skips without it) and web/gen/scpt.{js,wasm}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadModule, dataPath, ROOT, tinySpec, byteBuffer, readTenxFolder, annotateRequest } from './load.mjs';

const M = await loadModule('scpt-dev');
const SCPT = process.env.SCPT_BIN || path.join(ROOT, 'build', 'bin', 'scpt');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-wasm-annotate-'));
const MIN_AGREEMENT = 0.995;
let modelFile = null;  // made in before()

const soupx = dataPath('soupx_pbmc4k_10x');
const pbmc3k = dataPath('pbmc3k_seurat_labels');
const small = dataPath('sctransform_pbmc_unlabeled');
const haveAll = M && fs.existsSync(SCPT) && soupx && pbmc3k && small && typeof M.annotate === 'function';

const buffer = (bytes) => byteBuffer(M, bytes);

// The three files of a 10x folder only: the cells come without their labels.
const readFolder = (s, role, dir) => readTenxFolder(M, s, role, dir);

function attachLabels(s, role, file) {
  const b = buffer(fs.readFileSync(file));
  try {
    return s.attachLabels(role, b, path.basename(file), '');
  } finally {
    b.delete();
  }
}

function readModel(file) {
  const b = buffer(fs.readFileSync(file));
  try {
    return M.readModel(b, path.basename(file));
  } finally {
    b.delete();
  }
}

// The soupx labels with every 4th cell held out (left unlabelled: the cells to predict).
function partialLabels() {
  const rows = fs.readFileSync(path.join(soupx, 'labels.tsv'), 'utf8').trim().split('\n');
  const file = path.join(tmp, 'partial.tsv');
  fs.writeFileSync(file, rows.filter((_, i) => i % 4 !== 0).join('\n') + '\n');
  const held = new Map(rows.filter((_, i) => i % 4 === 0).map((r) => r.split('\t')));
  return { file, held };
}

function cliAnnotate(args) {
  const out = path.join(tmp, `cli-${Math.random().toString(36).slice(2)}.tsv`);
  execFileSync(SCPT, ['--quiet', 'annotate', ...args, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  const text = fs.readFileSync(out, 'utf8');
  const lines = text.trim().split('\n');
  return { text, header: lines[0], rows: new Map(lines.slice(1).map((l) => { const f = l.split('\t'); return [f[0], f[1]]; })) };
}

// The page's predictions TSV: core's table of the module's outcome (core/app/predictions_table.hpp).
const pageTsv = (s, a) => M.predictionsTable(s, a.outcome);

function wasmLabels(a) {
  const barcodes = a.barcodes.split('\n');
  return new Map(barcodes.map((b, i) => [b, a.label[i] < 0 ? 'Unassigned' : a.classes[a.label[i]]]));
}

function agreement(cli, wasm) {
  assert.equal(wasm.size, cli.size, 'same cells predicted');
  let same = 0;
  for (const [b, l] of cli) {
    assert.ok(wasm.has(b), `cell ${b} predicted by both`);
    same += wasm.get(b) === l;
  }
  return same / cli.size;
}

before(() => {
  if (!haveAll) return;
  // A small model: 2 epochs on a small raw-count set (seconds).
  modelFile = path.join(tmp, 'small.scpt');
  execFileSync(SCPT, ['--quiet', 'pretrain', '--epochs', '2', '--seed', '1', '--out', modelFile, small], { stdio: ['ignore', 'ignore', 'pipe'] });
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('one dataset with some cells labelled: the module labels the rest as scpt annotate does', async (t) => {
  if (!haveAll) return t.skip('needs build/bin/scpt, web/gen/scpt.wasm with annotate and shared data');
  const { file, held } = partialLabels();
  const s = new M.Session();
  readFolder(s, 'reference', soupx);
  const lab = attachLabels(s, 'reference', file);
  const model = readModel(modelFile);
  for (const [name, m, cliArgs] of [['no pre-training', null, ['--no-pretrained']], ['small model', model, ['--model', modelFile]]]) {
    const events = new Set();
    const a = M.annotate(s, annotateRequest({ labelColumn: lab.column, seed: 0, modelNamed: !!m }), m,
      (e) => { events.add(e.stage); return false; });
    const cli = cliAnnotate(['--reference', soupx, '--labels', file, '--seed', '0', ...cliArgs]);
    assert.equal(cli.header, 'barcode\tlabel\tconfidence');
    const wasm = wasmLabels(a);
    const agree = agreement(cli.rows, wasm);
    // Held-out truth: a broken classifier (one type for all: at most 30%) could not reach this.
    let right = 0;
    for (const [b, l] of wasm) right += held.get(b) === l;
    const acc = right / wasm.size;
    console.log(`soupx partial labels, ${name}: ${a.cells} cells, wasm/native agreement ${(100 * agree).toFixed(2)}%, ` +
      `accuracy on held labels ${(100 * acc).toFixed(1)}%, fit: ${a.fit.mode}, model ${a.fit.hasModel}`);
    assert.equal(a.cells, held.size);
    assert.equal(a.fit.hasModel, !!m);
    assert.ok(agree >= MIN_AGREEMENT, `${name}: agreement ${agree}`);
    assert.ok(acc > 0.7, `${name}: accuracy ${acc}`);
    assert.ok(events.has('finetune') && events.has('predict'), [...events].join(','));
    assert.ok(a.confidence.every((c) => c >= 0 && c <= 1));
    assert.equal(s.outcomeMap(a.outcome, {}, undefined).length, 2 * a.cells, 'the map of the labelled cells');
    assert.equal(a.flow, 'reference');
    assert.equal(a.dims > 0, true);
  }
  model.delete();
  s.delete();
});

test('reference and query: the module agrees with scpt annotate on the query', async (t) => {
  if (!haveAll) return t.skip('needs build/bin/scpt, web/gen/scpt.wasm with annotate and shared data');
  const s = new M.Session();
  readFolder(s, 'reference', pbmc3k);
  readFolder(s, 'query', soupx);
  const lab = attachLabels(s, 'reference', path.join(pbmc3k, 'labels.tsv'));
  const known = attachLabels(s, 'query', path.join(soupx, 'labels.tsv'));
  const model = readModel(modelFile);
  for (const [name, m, cliArgs] of [['no pre-training', null, ['--no-pretrained']], ['small model', model, ['--model', modelFile]]]) {
    const a = M.annotate(s, annotateRequest({ labelColumn: lab.column, query: 'query', seed: 3, probabilities: true, modelNamed: !!m }), m, undefined);
    const cli = cliAnnotate(['--reference', pbmc3k, '--labels', path.join(pbmc3k, 'labels.tsv'), '--query', soupx, '--seed', '3',
      '--probabilities', ...cliArgs]);
    const agree = agreement(cli.rows, wasmLabels(a));
    // The page's download has the CLI's columns and formats; the numbers differ only by float
    // rounding between native and wasm (the logistic regression stops at a tolerance).
    const mine = pageTsv(s, a).trim().split('\n'), theirs = cli.text.trim().split('\n');
    assert.equal(mine[0], theirs[0]);
    assert.equal(mine.length, theirs.length);
    let identical = 0, close = 0, maxDiff = 0;
    for (let i = 1; i < mine.length; ++i) {
      identical += mine[i] === theirs[i];
      const x = mine[i].split('\t'), y = theirs[i].split('\t');
      assert.equal(x.length, y.length);
      assert.equal(x[0], y[0]);
      let d = 0;
      for (let k = 2; k < x.length; ++k) d = Math.max(d, Math.abs(Number(x[k]) - Number(y[k])));
      maxDiff = Math.max(maxDiff, d);
      close += d <= 0.02;
    }
    const n = mine.length - 1;
    console.log(`pbmc3k -> soupx pbmc4k, ${name}: ${a.cells} cells, wasm/native agreement ${(100 * agree).toFixed(2)}%, ` +
      `identical TSV lines ${(100 * identical / n).toFixed(2)}%, largest difference of a probability ${maxDiff.toFixed(4)}`);
    assert.ok(close / n >= MIN_AGREEMENT, `probabilities within 0.02 for ${close} of ${n} cells`);
    assert.ok(agree >= MIN_AGREEMENT, `${name}: agreement ${agree}`);
    assert.equal(a.cells, 2170);
    assert.equal(a.probabilities.length, a.cells * a.classes.length);
    // Scored against soupx's own labels by core (core/app/truth_score.hpp), as the page shows it.
    const score = M.scoreTruth(s, a.outcome, 'query', known.column);
    const truth = new Map(fs.readFileSync(path.join(soupx, 'labels.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')));
    let right = 0, withType = 0;
    for (const [b, l] of wasmLabels(a)) if (truth.has(b)) { ++withType; right += truth.get(b) === l; }
    assert.equal(score.cells, withType);
    assert.ok(Math.abs(score.accuracy - right / withType) < 1e-12, `${score.accuracy} vs ${right / withType}`);
    assert.equal(score.counts.flat().reduce((x, y) => x + y, 0), withType);
    assert.deepEqual(score.cols, [...a.classes, 'Unassigned']);
    assert.ok(score.macroF1 > 0 && score.macroF1 <= 1);
  }
  model.delete();
  s.delete();
});

test('errors are the core\'s: no labels, every cell labelled, a model that does not fit', (t) => {
  if (!haveAll) return t.skip('needs build/bin/scpt, web/gen/scpt.wasm with annotate and shared data');
  const s = new M.Session();
  readFolder(s, 'reference', pbmc3k);
  assert.throws(() => M.predictionsTable(s, 0), (e) => e.name === 'InputError' && /annotate the cells first/.test(e.message));
  const lab = attachLabels(s, 'reference', path.join(pbmc3k, 'labels.tsv'));
  assert.throws(() => M.annotate(s, annotateRequest({ labelColumn: lab.column }), null, undefined),
    (e) => e.name === 'InputError' && /^labels\.tsv: .*nothing to predict/.test(e.message));
  assert.throws(() => M.annotate(s, annotateRequest({ labelColumn: lab.column, finetune: 'sideways' }), null, undefined),
    (e) => e.name === 'InputError' && e.message === 'finetune must be one of head, full (it is sideways)');
  // Cancelled from the progress callback.
  readFolder(s, 'query', soupx);
  assert.throws(() => M.annotate(s, annotateRequest({ labelColumn: lab.column, query: 'query' }), null, () => true), (e) => e.name === 'Cancelled');
  // Mouse cells with a human model: a model the user chose is refused; the shipped one steps aside.
  const mouse = dataPath('scp_mouse_retina_amacrine_tiny');
  if (mouse) {
    readFolder(s, 'mouse', mouse);
    const rows = fs.readFileSync(path.join(mouse, 'labels.tsv'), 'utf8').trim().split('\n');
    const file = path.join(tmp, 'mouse-partial.tsv');
    fs.writeFileSync(file, rows.filter((_, i) => i % 3 !== 0).join('\n') + '\n');
    const ml = attachLabels(s, 'mouse', file);
    const model = readModel(modelFile);
    const o = { reference: 'mouse', labelColumn: ml.column, names: { model: 'small.scpt' } };
    assert.throws(() => M.annotate(s, annotateRequest({ ...o, modelNamed: true }), model, undefined),
      (e) => e.name === 'InputError' && /small\.scpt/.test(e.message));
    const a = M.annotate(s, annotateRequest(o), model, undefined);
    assert.equal(a.fit.hasModel, false);
    assert.ok(a.warnings.some((w) => /without pre-training/.test(w)), a.warnings.join(' | '));
    model.delete();
  }
  s.delete();
});

// A request without labels or a classifier: the cells' K-means groups, as {cells, codes, ...groups}.
function groups(s, request, model) {
  const a = M.annotate(s, annotateRequest({ reference: '', ...request }), model, undefined);
  assert.equal(a.flow, 'groups');
  assert.deepEqual([...a.label], [...a.best]);
  return { cells: a.cells, codes: a.label, outcome: a.outcome, ...a.groups };
}

test('no labels: K-means groups on the embedding', (t) => {
  if (!M || typeof M.annotate !== 'function') return t.skip('module without annotate');
  if (!soupx) return t.skip('shared data absent');
  const s = new M.Session();
  readFolder(s, 'query', soupx);
  const c = groups(s, { query: 'query', seed: 0 }, null);
  assert.equal(c.cells, 2170);
  assert.equal(c.embedding, 'pca');
  assert.ok(c.k >= 2 && c.k <= 20);
  assert.equal(c.codes.length, 2170);
  assert.ok(c.codes.every((x) => x >= 0 && x < c.k));
  assert.deepEqual([...c.sizes], [...c.sizes].sort((a, b) => b - a));
  // The groups follow the cell types (T cells, monocytes, B cells...): far above chance.
  const labels = new Map(fs.readFileSync(path.join(soupx, 'labels.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')));
  const barcodes = M.matrixBarcodes(s, 'query').split('\n');
  const byCluster = new Map();
  barcodes.forEach((b, i) => {
    const m = byCluster.get(c.codes[i]) || new Map();
    m.set(labels.get(b), (m.get(labels.get(b)) || 0) + 1);
    byCluster.set(c.codes[i], m);
  });
  let pure = 0;
  for (const m of byCluster.values()) pure += Math.max(...m.values());
  assert.ok(pure / 2170 > 0.7, `cluster purity ${pure / 2170}`);
  const again = groups(s, { query: 'query', seed: 0 }, null);
  assert.deepEqual([...again.codes], [...c.codes], 'same seed, same groups');
  if (modelFile) {
    // On the model's embedding; mouse cells do not fit a human model: the shipped one steps
    // aside (principal components, with a note), one the user chose is an error.
    const model = readModel(modelFile);
    const e = groups(s, { query: 'query', seed: 0, clusters: 6 }, model);
    assert.equal(e.embedding, 'model');
    assert.equal(e.k, 6);
    const mouse = dataPath('scp_mouse_retina_amacrine_tiny');
    if (mouse) {
      readFolder(s, 'mouse', mouse);
      const f = groups(s, { query: 'mouse', seed: 0 }, model);
      assert.equal(f.embedding, 'pca');
      assert.ok(f.notes.some((n) => /principal components instead/.test(n)), f.notes.join(' | '));
      assert.throws(() => groups(s, { query: 'mouse', modelNamed: true }, model), (x) => x.name === 'InputError');
    }
    model.delete();
  }
  s.delete();
});

test('no labels, tiny data: three cells are grouped, fewer make one group with a note', (t) => {
  if (!M || typeof M.annotate !== 'function') return t.skip('module without annotate');
  const s = new M.Session();
  M.matrixFromCsr(s, 'query', tinySpec());
  const c = groups(s, { query: 'query' }, null);
  assert.equal(c.cells, 3);
  assert.equal(c.k, 2);
  assert.equal(s.outcomeMap(c.outcome, {}, undefined).length, 6);
  M.commitOutcome(s, c.outcome);  // as the worker does once the page has the result
  M.matrixFromCsr(s, 'query', tinySpec({ nCells: 2, indptr: new Int32Array([0, 2, 3]), indices: new Int32Array([0, 3, 1]),
    values: new Float32Array([1, 2, 3]), barcodes: 'A-1\nB-1' }));
  const one = groups(s, { query: 'query' }, null);
  assert.equal(one.k, 1);
  assert.equal(one.embedding, 'none');
  assert.deepEqual([...one.codes], [0, 0]);
  assert.match(one.notes[0], /too few to group/);
  assert.equal(s.outcomeMap(one.outcome, {}, undefined).length, 4);
  // The page shows `c`; `one` fails a later step and is discarded: c's table stays.
  M.discardOutcome(s, one.outcome);
  assert.equal(M.predictionsTable(s, c.outcome).trim().split('\n').length, 1 + 3);
  assert.throws(() => M.predictionsTable(s, one.outcome), (e) => e.name === 'InputError' && /annotate again/.test(e.message));
  // A committed newer outcome replaces it.
  const two = groups(s, { query: 'query' }, null);
  M.commitOutcome(s, two.outcome);
  assert.equal(M.predictionsTable(s, two.outcome).trim().split('\n').length, 1 + 2);
  assert.throws(() => M.predictionsTable(s, c.outcome), (e) => e.name === 'InputError');
  s.delete();
});
