// Labels whose barcodes differ from the cells' by the 10x GEM-well suffix ("-1") are matched by
// the module as by `scpt` (core/io/barcode_match.hpp): the page's labels, a query's known types,
// a folder's labels.tsv and obs.tsv, and the reference labels annotate reads. pbmc3k's barcodes
// have no suffix; the labels get one here (and a folder with suffixed barcodes is made the other way).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadModule, dataPath, ROOT, byteBuffer, readTenxFolder } from './load.mjs';

const M = await loadModule('scpt-dev');
const pbmc = dataPath('pbmc3k_seurat_labels');
const skip = 'needs web/gen/scpt.wasm and shared data';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-wasm-suffix-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const rows = () => fs.readFileSync(path.join(pbmc, 'labels.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
const text = (lines) => Buffer.from(lines.join('\n') + '\n');

function attach(s, role, bytes, name) {
  const b = byteBuffer(M, bytes);
  try {
    return s.attachLabels(role, b, name, '');
  } finally {
    b.delete();
  }
}

test('labels with the suffix the cells lack: every cell matched, with a warning that counts them', (t) => {
  if (!M || !pbmc) return t.skip(skip);
  const s = new M.Session();
  readTenxFolder(M, s, 'reference', pbmc);
  const labels = rows();
  const r = attach(s, 'reference', text(labels.map(([b, l]) => `${b}-1\t${l}`)), 'suffixed.tsv');
  assert.equal(r.matched, 2638);
  assert.deepEqual(r.warnings, [`suffixed.tsv: 2,638 barcodes matched after removing the 10x suffix '-1' from the barcodes of ` +
    `suffixed.tsv (e.g. '${labels[0][0]}-1' = '${labels[0][0]}')`]);
  const col = s.matrixObs('reference', r.column);
  const want = new Map(labels);
  M.matrixBarcodes(s, 'reference').split('\n').forEach((b, i) => assert.equal(col.levels[col.codes[i]], want.get(b)));
  // An exact barcode wins over a suffix match: the exact row's label is the cell's.
  const [b0] = labels[0];
  const mixed = attach(s, 'reference', text([`${b0}-1\tfrom the suffix`, `${b0}\texact`, `${labels[1][0]}-1\tB`]), 'mixed.tsv');
  assert.equal(mixed.matched, 2);
  const m = s.matrixObs('reference', mixed.column);
  const at = M.matrixBarcodes(s, 'reference').split('\n').indexOf(b0);
  assert.equal(m.levels[m.codes[at]], 'exact');
  s.delete();
});

test('cells of two GEM wells and labels without suffix: only the unambiguous ones match', (t) => {
  if (!M || !pbmc) return t.skip(skip);
  const s = new M.Session();
  const labels = rows().slice(0, 3);
  const b = labels.map(([x]) => x);
  // Three cells in well 1, the first barcode again in well 2.
  M.matrixFromCsr(s, 'query', { source: 'two wells', nCells: 4, nGenes: 2, indptr: new Int32Array([0, 1, 2, 3, 4]),
    indices: new Int32Array([0, 1, 0, 1]), values: new Float32Array([1, 2, 3, 4]),
    barcodes: [`${b[0]}-1`, `${b[1]}-1`, `${b[2]}-1`, `${b[0]}-2`].join('\n'), geneIds: 'G1\nG2', geneSymbols: 'CD3E\nLYZ' });
  const r = attach(s, 'query', text(labels.map(([x, l]) => `${x}\t${l}`)), 'known.tsv');
  assert.equal(r.matched, 2);
  assert.equal(r.warnings.length, 2, r.warnings.join(' | '));
  assert.match(r.warnings[0], /^known\.tsv: 2 barcodes matched after removing the 10x suffix '-1' from the data's barcodes/);
  assert.match(r.warnings[1], new RegExp(`^known\\.tsv: 1 barcode fit cells of several 10x GEM wells .*'${b[0]}' fits '${b[0]}-1' and '${b[0]}-2'`));
  const col = s.matrixObs('query', r.column);
  assert.deepEqual([...col.codes].map((c) => (c < 0 ? '' : col.levels[c])), ['', labels[1][1], labels[2][1], '']);
  s.delete();
});

test('annotate reads suffixed reference labels as the CLI does', (t) => {
  if (!M || !pbmc || typeof M.annotate !== 'function') return t.skip(skip);
  const s = new M.Session();
  readTenxFolder(M, s, 'reference', pbmc);
  const labels = rows().filter((_, i) => i % 4 !== 0);
  const r = attach(s, 'reference', text(labels.map(([b, l]) => `${b}-1\t${l}`)), 'suffixed.tsv');
  const a = M.annotate(s, { reference: 'reference', labelColumn: r.column }, null, undefined);
  assert.equal(a.cells, 2638 - labels.length);
  assert.equal(a.fit.classCounts.reduce((x, y) => x + y, 0), labels.length);
  assert.ok(a.warnings.some((w) => /^suffixed\.tsv: [\d,]+ barcodes matched after removing the 10x suffix '-1'/.test(w)), a.warnings.join(' | '));
  s.delete();
});

test('a folder whose barcodes carry the suffix and whose labels.tsv/obs.tsv do not: as natively', (t) => {
  if (!M || !pbmc) return t.skip(skip);
  // The folder: pbmc3k's files, its barcodes with "-1".
  const dir = path.join(tmp, 'folder');
  fs.mkdirSync(dir);
  for (const f of ['matrix.mtx.gz', 'features.tsv', 'labels.tsv', 'obs.tsv']) fs.copyFileSync(path.join(pbmc, f), path.join(dir, f));
  const barcodes = fs.readFileSync(path.join(pbmc, 'barcodes.tsv'), 'utf8').trim().split('\n');
  fs.writeFileSync(path.join(dir, 'barcodes.tsv'), barcodes.map((b) => `${b}-1`).join('\n') + '\n');
  const s = new M.Session();
  readTenxFolder(M, s, 'query', dir);
  const [ob, lb] = ['obs.tsv', 'labels.tsv'].map((f) => byteBuffer(M, fs.readFileSync(path.join(dir, f))));
  const notes = s.attachFolderMetadata('query', ob, 'obs.tsv', lb, 'labels.tsv');
  ob.delete();
  lb.delete();
  assert.ok(notes.some((n) => /^labels\.tsv: 2,638 barcodes matched after removing the 10x suffix '-1' from the data's barcodes/.test(n)), notes.join(' | '));
  assert.ok(notes.some((n) => /^obs\.tsv: 2,638 barcodes matched after removing/.test(n)), notes.join(' | '));
  const info = s.matrixInfo('query');
  const label = info.obs.find((c) => c.name === 'label');
  assert.ok(label, info.obs.map((c) => c.name).join(', '));
  assert.equal(label.levels, 9);  // matrixInfo gives the number of levels
  const cli = path.join(ROOT, 'build', 'bin', 'scpt');
  if (fs.existsSync(cli)) {
    const r = spawnSync(cli, ['info', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const native = JSON.parse(r.stdout);
    const suffixNotes = (list) => list.filter((n) => /matched after removing the 10x suffix/.test(n)).map((n) => n.replace(/^.*\//, ''));
    assert.deepEqual(suffixNotes(native.notes), suffixNotes(info.notes));
    assert.deepEqual(Object.keys(native.obs).sort(), info.obs.map((c) => c.name).sort());
  }
  s.delete();
});
