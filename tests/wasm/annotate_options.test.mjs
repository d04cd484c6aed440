// Every setting the page can give the module's annotate (core/app/annotate_settings.hpp, the keys of
// `scpt annotate`'s flags; web/worker.js's annotate op sends a subset): a run with a non-default value differs from the
// default run in the way the option promises, and a wrong value is an InputError naming the option.
// Real data: CellBench's 3 lung cell lines (240 cells) as the reference, its 5-line plates (other
// genes) as a query, simlr_pollen (no gene names) for the fallback; the shipped model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadModule, dataPath, ROOT, byteBuffer, readTenxFolder, annotateRequest } from './load.mjs';

const M = await loadModule('scpt-dev');
const ref = dataPath('cellbench_celseq2_3cl');
const query = dataPath('cellbench_celseq2_5cl');
const nameless = dataPath('simlr_pollen');
const modelFile = path.join(ROOT, 'models', 'default.scpt');
const ready = M && typeof M.annotate === 'function' && ref && query && nameless && fs.existsSync(modelFile);
const skip = 'needs web/gen/scpt.wasm, models/default.scpt and shared data';

function withBuffer(bytes, fn) {
  const b = byteBuffer(M, bytes);
  try {
    return fn(b);
  } finally {
    b.delete();
  }
}

// Three quarters of the cells labelled: the rest are predicted.
function partialLabels(dir) {
  const rows = fs.readFileSync(path.join(dir, 'labels.tsv'), 'utf8').trim().split('\n');
  return Buffer.from(rows.filter((_, i) => i % 4 !== 0).join('\n') + '\n');
}

let cache = null;
function setup() {
  if (cache) return cache;
  const s = new M.Session();
  readTenxFolder(M, s, 'reference', ref);
  readTenxFolder(M, s, 'query', query);
  readTenxFolder(M, s, 'nameless', nameless);
  const column = withBuffer(partialLabels(ref), (b) => s.attachLabels('reference', b, 'partial.tsv', '')).column;
  const namelessColumn = withBuffer(partialLabels(nameless), (b) => s.attachLabels('nameless', b, 'partial.tsv', '')).column;
  const model = withBuffer(fs.readFileSync(modelFile), (b) => M.readModel(b, 'default.scpt'));
  cache = { s, column, namelessColumn, model };
  return cache;
}

const run = (options, model = setup().model) =>
  M.annotate(setup().s, annotateRequest({ labelColumn: setup().column, modelNamed: true, ...options }), model, undefined);
const unassigned = (a) => a.label.filter((l) => l < 0).length;
const differs = (x, y) => x.length !== y.length || x.some((v, i) => v !== y[i]);

let base = null;
const baseline = () => (base ||= run({}));

test('the default run: the linear head on the model, query-typicality, seed 0, shared genes', (t) => {
  if (!ready) return t.skip(skip);
  const f = baseline().fit;
  assert.equal(baseline().cells, 60);
  assert.equal(f.mode, 'head');
  assert.equal(f.hasModel, true);
  assert.equal(f.linearHead, true);
  assert.equal(f.epochs.length, 0);  // a logistic regression has no epochs
  assert.ok(f.solverIterations > 0);
  assert.equal(f.encoderOutputs, 200);
  assert.equal(f.referencePcs, 50);
  assert.ok(f.referenceGenes > 0 && f.referenceGenes <= 500, `referenceGenes ${f.referenceGenes}`);
  assert.equal(f.seed, 0);
  assert.equal(f.unknown, 'query-typicality');
  assert.equal(f.alpha, 0.01);
  assert.equal(f.minProbability, 0.5);
  assert.equal(f.allGenes, false);
  assert.match(f.description, /^head mode: a logistic-regression head fitted on \d+ training cells \([\d,]+ genes -> 200 encoder outputs \+ 50 reference PCs \+ \d+ marker genes\); validation accuracy [\d.]+ on \d+ held-out reference cells/);
});

test('finetune: full trains the encoder too, for epochs', (t) => {
  if (!ready) return t.skip(skip);
  const f = run({ finetune: 'full' }).fit;
  assert.equal(f.mode, 'full');
  assert.equal(f.linearHead, false);
  assert.ok(f.epochs.length > 0);
  assert.match(f.description, /^full mode, [\d,]+ genes: \d+ epochs, best validation accuracy/);
});

test('head: mlp trains the paper\'s head for epochs instead of the logistic regression', (t) => {
  if (!ready) return t.skip(skip);
  const f = run({ head: 'mlp' }).fit;
  assert.equal(f.mode, 'head');
  assert.equal(f.linearHead, false);
  assert.ok(f.epochs.length > 0);
  assert.ok(f.bestEpoch >= 1 && f.bestEpoch <= f.epochs.length);
});

test('unknown, alpha, min-probability: which cells are Unassigned', (t) => {
  if (!ready) return t.skip(skip);
  const none = run({ unknown: 'none' });
  assert.equal(none.fit.unknown, 'none');
  assert.equal(unassigned(none), 0);
  // Typicality: a p-value under alpha; alpha 0.5 calls about half the cells atypical.
  const wide = run({ alpha: 0.5 });
  assert.equal(wide.fit.alpha, 0.5);
  assert.ok(unassigned(wide) > unassigned(baseline()) && unassigned(wide) >= 10, `${unassigned(wide)} vs ${unassigned(baseline())}`);
  // Probability: below minProbability; 1 leaves nothing assigned that is not certain. With the
  // marker genes the three cell lines are told apart without doubt (every confidence is 1), so
  // the probability rule is tried on the head without them, whose confidences vary.
  const strict = run({ unknown: 'probability', 'min-probability': 1, 'reference-genes': 0 });
  assert.equal(strict.fit.minProbability, 1);
  assert.equal(unassigned(strict), strict.confidence.filter((c) => c < 1).length);
  assert.ok(unassigned(strict) > 0);
  const lax = run({ unknown: 'probability', 'min-probability': 0, 'reference-genes': 0 });
  assert.equal(unassigned(lax), 0);
  const either = run({ unknown: 'either', alpha: 0.5, 'min-probability': 1, 'reference-genes': 0 });
  assert.ok(unassigned(either) >= Math.max(unassigned(wide), unassigned(strict)));
});

test('reference-pcs and reference-genes: 0 leave the encoder outputs alone', (t) => {
  if (!ready) return t.skip(skip);
  const a = run({ 'reference-pcs': 0, 'reference-genes': 0 });
  assert.equal(a.fit.referencePcs, 0);
  assert.equal(a.fit.referenceGenes, 0);
  assert.match(a.fit.description, /-> 200 encoder outputs\)/);
  const g = run({ 'reference-pcs': 0, 'reference-genes': 20 });
  assert.equal(g.fit.referenceGenes, 20);
  assert.match(g.fit.description, /-> 200 encoder outputs \+ 20 marker genes\)/);
  assert.ok(differs(a.confidence, baseline().confidence));
  assert.equal(run({ 'reference-pcs': 10 }).fit.referencePcs, 10);
});

test('seed: another split of the labelled cells, the same one again for the same seed', (t) => {
  if (!ready) return t.skip(skip);
  // Without the marker genes, whose confidences are all 1 on these cell lines whatever the split.
  const a = run({ seed: 7, 'reference-genes': 0 }), again = run({ seed: 7, 'reference-genes': 0 });
  assert.equal(a.fit.seed, 7);
  assert.equal(a.fit.valCells, baseline().fit.valCells);
  assert.ok(differs(a.confidence, run({ 'reference-genes': 0 }).confidence), 'another seed: another split and calibration');
  assert.ok(!differs(a.confidence, again.confidence), 'the same seed: the same result');
});

test('transform: without a model, the values the network is trained on', (t) => {
  if (!ready) return t.skip(skip);
  const cp10k = run({}, null), log1p = run({ transform: 'log1p' }, null), named = run({ transform: 'cp10k_log1p' }, null);
  assert.equal(cp10k.fit.hasModel, false);
  assert.equal(cp10k.fit.transform, 'cp10k_log1p');  // core's default, as the CLI's
  assert.equal(named.fit.transform, 'cp10k_log1p');
  assert.equal(log1p.fit.transform, 'log1p');
  assert.notEqual(log1p.fit.referenceTransform, cp10k.fit.referenceTransform);
  assert.notEqual(log1p.queryTransform, cp10k.queryTransform);
});

test('all-genes: every reference gene, not only those the query has', (t) => {
  if (!ready) return t.skip(skip);
  const shared = run({ query: 'query' }), all = run({ query: 'query', 'all-genes': true });
  assert.equal(all.fit.allGenes, true);
  assert.equal(shared.cells, 571);
  assert.ok(all.fit.genesUsed > shared.fit.genesUsed, `${all.fit.genesUsed} vs ${shared.fit.genesUsed}`);
});

test('allow-scaled: z-scored values are refused, or taken with a warning', (t) => {
  if (!ready) return t.skip(skip);
  const { s } = setup();
  // The reference's 300 most expressed genes, z-scored per gene (as Seurat's ScaleData leaves them).
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(ref, 'matrix.mtx.gz'))).toString('utf8').split('\n');
  let k = 0;
  while (lines[k].startsWith('%')) ++k;
  const [nGenes, nCells] = lines[k].split(/\s+/).map(Number);
  const dense = new Map();  // gene -> Float32Array over cells
  const total = new Float64Array(nGenes);
  for (const l of lines.slice(k + 1)) {
    if (!l) continue;
    const [g, c, v] = l.split(/\s+/).map(Number);
    if (!dense.has(g - 1)) dense.set(g - 1, new Float32Array(nCells));
    dense.get(g - 1)[c - 1] = v;
    total[g - 1] += v;
  }
  const top = [...total.keys()].sort((a, b) => total[b] - total[a]).slice(0, 300);
  const cols = top.map((g) => {
    const x = dense.get(g), mean = x.reduce((a, b) => a + b, 0) / nCells;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / nCells) || 1;
    return Float32Array.from(x, (v) => (v - mean) / sd);
  });
  const indptr = new Int32Array(nCells + 1), indices = [], values = [];
  for (let c = 0; c < nCells; ++c) {
    cols.forEach((x, j) => { if (x[c] !== 0) { indices.push(j); values.push(x[c]); } });
    indptr[c + 1] = indices.length;
  }
  const features = fs.readFileSync(path.join(ref, 'features.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  M.matrixFromCsr(s, 'scaled', { source: 'scaled', nCells, nGenes: top.length, indptr, indices: new Int32Array(indices),
    values: new Float32Array(values), barcodes: fs.readFileSync(path.join(ref, 'barcodes.tsv'), 'utf8').trim(),
    geneIds: top.map((g) => features[g][0]).join('\n'), geneSymbols: top.map((g) => features[g][1]).join('\n') });
  const column = withBuffer(partialLabels(ref), (b) => s.attachLabels('scaled', b, 'partial.tsv', '')).column;
  const opts = (extra) => annotateRequest({ reference: 'scaled', labelColumn: column, modelNamed: true, ...extra });
  assert.throws(() => M.annotate(s, opts({}), setup().model, undefined),
    (e) => e.name === 'InputError' && /scaled|negative/i.test(e.message));
  const a = M.annotate(s, opts({ 'allow-scaled': true }), setup().model, undefined);
  assert.equal(a.cells, 60);
  assert.ok(a.warnings.some((w) => /scaled|negative/i.test(w)), a.warnings.join(' | '));
});

test('majority-voting, over-cluster-cells: each over-cluster votes; the cells\' own labels come back too', (t) => {
  if (!ready) return t.skip(skip);
  assert.equal(baseline().cellLabel, undefined);
  assert.equal(baseline().fit.overClusters, 0);
  const v = run({ query: 'query', 'majority-voting': true, 'over-cluster-cells': 10 });
  const plain = run({ query: 'query' });
  assert.ok(v.fit.overClusters > 1, `${v.fit.overClusters} over-clusters`);
  assert.equal(v.overCluster.length, v.cells);
  assert.ok(v.overCluster.every((c) => c >= 0 && c < v.fit.overClusters));
  assert.deepEqual(Array.from(v.cellLabel), Array.from(plain.label), 'the cells\' own labels are the unvoted run\'s');
  // Each over-cluster carries one label, or (tied) its cells' own.
  for (let c = 0; c < v.fit.overClusters; ++c) {
    const cells = [...v.overCluster.keys()].filter((i) => v.overCluster[i] === c);
    const one = cells.every((i) => v.label[i] === v.label[cells[0]]), own = cells.every((i) => v.label[i] === v.cellLabel[i]);
    assert.ok(one || own, `over-cluster ${c}`);
  }
});

test('modelNamed: data the model cannot read is trained without it, or refused', (t) => {
  if (!ready) return t.skip(skip);
  const { s, namelessColumn, model } = setup();
  const opts = (named) => annotateRequest({ reference: 'nameless', labelColumn: namelessColumn, modelNamed: named });
  const a = M.annotate(s, opts(false), model, undefined);
  assert.equal(a.fit.hasModel, false);
  assert.ok(a.fit.warnings.some((w) => /without pre-training/.test(w)), a.fit.warnings.join(' | '));
  assert.throws(() => M.annotate(s, opts(true), model, undefined), (e) => e.name === 'InputError');
});

test('a wrong value of any option is an InputError naming it', (t) => {
  if (!ready) return t.skip(skip);
  const bad = [
    ['finetune', 'scratch'], ['finetune', 'fast'], ['finetune', 1], ['unknown', 'maybe'], ['alpha', 2], ['alpha', '0.1x'],
    ['min-probability', -0.1], ['head', 'forest'], ['reference-pcs', 1.5], ['reference-pcs', 501], ['reference-genes', 5001],
    ['reference-genes', 2.5], ['seed', -1], ['seed', 0.5], ['transform', 'sqrt'], ['transform', 1], ['all-genes', 'yes'],
    ['allow-scaled', 1], ['majority-voting', {}], ['over-cluster-cells', 0], ['clusters', 21],
  ];
  // The CLI's words (scpt annotate --alpha 2: "--alpha must be a number from 0 to 1 (it is 2)"), without "--".
  for (const [key, value] of bad)
    assert.throws(() => run({ [key]: value }), (e) => e.name === 'InputError' && e.message.startsWith(`${key} must be `),
      `${key}: ${JSON.stringify(value)}`);
  assert.throws(() => run({ alpha: 2 }), (e) => e.message === 'alpha must be a number from 0 to 1 (it is 2)');
  assert.throws(() => run({ colour: 'red' }), (e) => e.name === 'InputError' && e.message === 'unknown option colour');
  // Text is read as the CLI reads its arguments.
  assert.equal(run({ alpha: '0.5', 'reference-genes': '0' }).fit.alpha, 0.5);
});

test('cleanup', () => {
  if (cache) {
    cache.model.delete();
    cache.s.delete();
  }
});
