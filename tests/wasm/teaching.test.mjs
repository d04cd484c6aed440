// The teaching view's entry points (wasm/teaching_api.cpp, annotate's onEpoch): the three
// pseudo-label sets follow pre-training's rule (k computed here from the rule's text, n/100,
// n/50, n/200 + 1 clamped to [2, n - 1]) with every group used; the encoder's sets need the
// encoder's output first; every fine-tuning epoch reaches onEpoch as fit.epochs logs it, and
// returning true stops the work; the Unassigned reasons agree with the labels and the rule.
// Real data from ../shared/data and the shipped model (models/default.scpt); skips without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadModule, dataPath, ROOT, byteBuffer, readTenxFolder } from './load.mjs';

const M = await loadModule('scpt');
const modelFile = path.join(ROOT, 'models', 'default.scpt');
const pbmc = dataPath('pbmc68k_reduced');  // 700 cells, 765 genes: k = 7, 14, 4
const ready = M && typeof M.teachingPseudoLabels === 'function';

const rule = (n) => [Math.floor(n / 100), Math.floor(n / 50), Math.floor(n / 200) + 1].map((k) => Math.max(2, Math.min(k, n - 1)));

function readModel() {
  const b = byteBuffer(M, fs.readFileSync(modelFile));
  try { return M.readModel(b, 'default.scpt'); } finally { b.delete(); }
}

function attachLabels(s, role, file, keep) {
  const rows = fs.readFileSync(file, 'utf8').trim().split('\n').filter((_, i) => keep(i));
  const b = byteBuffer(M, Buffer.from(rows.join('\n') + '\n'));
  try { return s.attachLabels(role, b, 'labels.tsv', ''); } finally { b.delete(); }
}

test('pseudo-labels: the rule\'s three k on the expression and on the encoder, every group used, seeded', (t) => {
  if (!ready) return t.skip('module without the teaching API');
  if (!pbmc || !fs.existsSync(modelFile)) return t.skip('shared data or models/default.scpt absent');
  const s = new M.Session();
  const info = readTenxFolder(M, s, 'query', pbmc);
  const n = info.cells;
  const expected = rule(n);
  assert.ok(expected[1] > expected[0] && expected[0] > 2, `a dataset large enough for three different k (n = ${n})`);
  const p = M.teachingPseudoLabels(s, 'query', { seed: 3, source: 'expression' }, undefined);
  assert.equal(p.cells, n);
  assert.deepEqual(p.k, expected);
  for (let j = 0; j < 3; ++j) {
    assert.equal(p.labels[j].length, n);
    const used = new Set(p.labels[j]);
    assert.equal(used.size, expected[j], `level ${j}: every one of the k groups holds cells`);
    assert.ok(Math.min(...used) === 0 && Math.max(...used) === expected[j] - 1);
  }
  const again = M.teachingPseudoLabels(s, 'query', { seed: 3 }, undefined);  // expression is the default
  assert.deepEqual(again.labels.map((l) => Array.from(l)), p.labels.map((l) => Array.from(l)));

  assert.throws(() => M.teachingPseudoLabels(s, 'query', { source: 'encoder' }, undefined), { name: 'InputError' });
  assert.throws(() => M.teachingPseudoLabels(s, 'query', { source: 'genes' }, undefined), { name: 'InputError', message: /source/ });
  assert.throws(() => M.teachingPseudoLabels(s, 'nothing', {}, undefined), { name: 'InputError' });
  const model = readModel();
  M.encodeCells(s, 'query', model, undefined);
  const e = M.teachingPseudoLabels(s, 'query', { seed: 3, source: 'encoder' }, undefined);
  assert.deepEqual(e.k, expected);
  for (let j = 0; j < 3; ++j) assert.equal(new Set(e.labels[j]).size, expected[j]);
  model.delete();
  s.delete();
});

test('full fine-tuning reports every epoch to onEpoch, can be stopped there, and Unassigned cells get a reason', (t) => {
  if (!ready) return t.skip('module without the teaching API');
  if (!pbmc || !fs.existsSync(modelFile)) return t.skip('shared data or models/default.scpt absent');
  const s = new M.Session();
  readTenxFolder(M, s, 'reference', pbmc);
  // Every 3rd cell unlabelled: those are annotated.
  const l = attachLabels(s, 'reference', path.join(pbmc, 'labels.tsv'), (i) => i % 3 !== 0);
  const model = readModel();
  const seen = [];
  const a = M.annotate(s, { reference: 'reference', labelColumn: l.column, settings: { finetune: 'full', seed: 1 },
    onEpoch: (e) => { seen.push(e); return false; } }, model, undefined);
  assert.ok(a.fit.epochs.length > 1);
  assert.equal(seen.length, a.fit.epochs.length, 'one call per logged epoch');
  seen.forEach((e, i) => {
    assert.equal(e.epoch, i + 1);
    assert.equal(e.valAccuracy, a.fit.epochs[i].valAccuracy);
    assert.equal(e.trainAccuracy, a.fit.epochs[i].trainAccuracy);
    assert.ok(e.trainAccuracy >= 0 && e.trainAccuracy <= 1);
  });
  assert.ok(seen[seen.length - 1].trainAccuracy > seen[0].trainAccuracy, 'the network learns the training cells');

  const r = M.unassignedReasons(a.label, a.confidence, a.typicality,
    { unknown: a.fit.unknown, alpha: a.fit.alpha, minProbability: a.fit.minProbability });
  assert.equal(r.codes.length, a.cells);
  assert.equal(r.names[0], 'assigned');
  for (let i = 0; i < a.cells; ++i) {
    assert.equal(r.codes[i] === 0, a.label[i] >= 0, `cell ${i}`);
    if (r.names[r.codes[i]] === 'atypical') assert.ok(a.typicality[i] < a.fit.alpha);
  }
  // The probability rule: reasons computed for it name low probability only.
  const lowP = M.unassignedReasons(new Int32Array([-1, 0]), new Float32Array([0.2, 0.9]), new Float32Array([0.5, 0.5]),
    { unknown: 'probability', minProbability: 0.5 });
  assert.deepEqual(Array.from(lowP.codes).map((c) => lowP.names[c]), ['low-probability', 'assigned']);
  assert.throws(() => M.unassignedReasons(new Int32Array(2), new Float32Array(1), new Float32Array(2), {}), { name: 'InputError' });

  let calls = 0;
  assert.throws(() => M.annotate(s, { reference: 'reference', labelColumn: l.column, settings: { finetune: 'full', seed: 1 },
    onEpoch: () => ++calls >= 3 }, model, undefined), { name: 'Cancelled' });
  assert.equal(calls, 3);
  assert.throws(() => M.annotate(s, { reference: 'reference', labelColumn: l.column, onEpoch: 5 }, model, undefined),
    { name: 'InputError', message: /onEpoch/ });
  model.delete();
  s.delete();
});
