// The page's annotated .h5ad (wasm/h5ad_api.cpp: core's layout through core's in-memory HDF5
// writer), built from a real annotation (the session's kept outcome) and read back with h5wasm (libhdf5 1.14,
// another HDF5 implementation than the one the writer was checked against natively): the labels
// equal the page's table, bools are h5py's enum, X holds the query's values, obsm the embedding
// and the map. Real data from ../shared/data (SCPT_DATA); skips without it or without the module.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import { loadModule, dataPath, byteBuffer, readTenxFolder, annotateRequest } from './load.mjs';

const M = await loadModule('scpt');
const ref = dataPath('cellbench_celseq2_5cl'), query = dataPath('cellbench_celseq2_3cl');
const ready = M && typeof M.annotatedH5ad === 'function' && ref && query;
let H, s, a, xy, labelColumn;

before(async () => {
  if (!ready) return;
  H = await h5wasm.ready;
  s = new M.Session();
  readTenxFolder(M, s, 'reference', ref);
  const b = byteBuffer(M, fs.readFileSync(path.join(ref, 'labels.tsv')));
  try {
    labelColumn = s.attachLabels('reference', b, 'labels.tsv', '').column;
  } finally {
    b.delete();
  }
  readTenxFolder(M, s, 'query', query);
  a = M.annotate(s, annotateRequest({ query: 'query', labelColumn, seed: 0 }), null, undefined);
  xy = s.outcomeMap(a.outcome, { seed: 0 }, undefined);
});

after(() => { if (s) s.delete(); });

function open(bytes, name) {
  H.FS.writeFile(`/${name}`, bytes);
  return new h5wasm.File(`/${name}`, 'r');
}

test('the .h5ad of an annotation reads back in h5wasm with the table\'s labels', (t) => {
  if (!ready) return t.skip('module or shared data absent');
  const f = open(M.annotatedH5ad(s, a.outcome, 'query', xy), 'cells.h5ad');
  try {
    const n = a.cells;
    assert.equal(f.attrs['encoding-type'].value, 'anndata');
    const barcodes = f.get('obs/_index').value;
    assert.deepEqual(barcodes, a.barcodes.split('\n'));
    // Labels as the page's table writes them (web/ui/predictions.js: Unassigned for -1).
    const lab = f.get('obs/scpretrain_label');
    assert.equal(lab.attrs['encoding-type'].value, 'categorical');
    assert.equal(lab.get_attribute('ordered', true), false, 'ordered is h5py\'s bool enum, read as false');
    const cats = lab.get('categories').value, codes = lab.get('codes').value;
    const tableLabels = Array.from(a.label, (c) => (c < 0 ? 'Unassigned' : a.classes[c]));
    assert.deepEqual(Array.from(codes, (c) => cats[c]), tableLabels);
    // Unassigned: an int8 enum {FALSE, TRUE} (what numpy reads as bool), true exactly for Unassigned.
    const un = f.get('obs/scpretrain_unassigned');
    assert.deepEqual(un.metadata.enum_type.members, { FALSE: 0, TRUE: 1 });
    assert.deepEqual(Array.from(un.value), tableLabels.map((l) => (l === 'Unassigned' ? 1 : 0)));
    const closest = f.get('obs/scpretrain_closest');
    const ccats = closest.get('categories').value;
    assert.deepEqual(Array.from(closest.get('codes').value, (c) => ccats[c]), Array.from(a.best, (c) => a.classes[c]));
    assert.deepEqual(Array.from(f.get('obs/scpretrain_confidence').value), Array.from(a.confidence));
    assert.deepEqual(Array.from(f.get('obs/scpretrain_typicality').value), Array.from(a.typicality));
    // X: the query's cells in the table's order, their values as read (the totals per cell).
    const stats = s.matrixCellStats('query');
    const indptr = Array.from(f.get('X/indptr').value, Number), data = f.get('X/data').value;
    assert.deepEqual(Array.from(f.get('X').attrs.shape.value, Number), [n, s.matrixInfo('query').genes]);
    for (let i = 0; i < n; ++i) {
      let sum = 0;
      for (let k = indptr[i]; k < indptr[i + 1]; ++k) sum += data[k];
      assert.ok(Math.abs(sum - stats.total[a.rows[i]]) <= 1e-3 * Math.max(1, sum), `cell ${i}: total ${sum}`);
    }
    // obsm: the map the page drew, and the embedding the classifier saw.
    const umap = f.get('obsm/X_umap');
    assert.deepEqual(umap.shape, [n, 2]);
    assert.deepEqual(Array.from(umap.value), Array.from(xy));
    assert.deepEqual(f.get('obsm/X_scpretrain').shape, [n, a.dims]);
    assert.ok(a.dims > 0);
  } finally {
    f.close();
  }
});

test('a map of other cells, cells replaced, groups or a later annotation: refused, saying what to do', (t) => {
  if (!ready) return t.skip('module or shared data absent');
  assert.throws(() => M.annotatedH5ad(s, a.outcome, 'query', xy.subarray(2)), { name: 'InputError', message: /map has/ });
  // Other cells read as the query since: their barcodes are not the annotated cells'.
  readTenxFolder(M, s, 'query', ref);
  assert.throws(() => M.annotatedH5ad(s, a.outcome, 'query', xy), { name: 'InputError', message: /replaced.*annotate again/ });
  // K-means groups are not cell types (as scpt annotate --out-h5ad needs labels).
  const g = M.annotate(s, annotateRequest({ reference: '', query: 'query' }), null, undefined);
  assert.equal(g.flow, 'groups');
  assert.throws(() => M.annotatedH5ad(s, g.outcome, 'query', undefined), { name: 'InputError', message: /K-means groups/ });
  // The first annotation's number no longer names the session's outcome.
  assert.throws(() => M.annotatedH5ad(s, a.outcome, 'reference', xy), { name: 'InputError' });
});
