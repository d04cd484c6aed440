// The WebAssembly module's JS API (wasm/bindings.cpp) in Node: matrices in and out, the one error
// path, progress and cancellation, and that threads and SIMD do not change results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteBuffer, dataPath, defaultModel, loadModule, readSpec, readTenxFolder, release, tinySpec } from './load.mjs';

const M = await loadModule('scpt-dev');
if (!M) throw new Error('web/gen/dev/scpt-dev.js missing: run tools/wasm-build first');

// wasm/dev/'s entry points (tests and benchmarks) are in the scpt-dev module only, never in the
// shipped one; everything else is in both.
const DEV_ONLY = ['matrixNames', 'matrixFromCsr', 'matrixBarcodes', 'matrixGeneSymbols', 'matrixGeneIds', 'matrixSetObs',
  'benchEncodeKernel', 'openStreamAnnotate', 'StreamAnnotate'];
test('the shipped module has none of the test-only entry points, the dev module has them and the rest', async () => {
  const shipped = await loadModule('scpt');
  assert.ok(shipped, 'web/gen/scpt.js missing');
  const api = (X) => Object.keys(X).filter((k) => /^[a-zA-Z]+$/.test(k) && (typeof X[k] === 'function'));
  const dev = new Set(api(M));
  for (const name of DEV_ONLY) {
    assert.equal(shipped[name], undefined, `${name} is in the shipped module`);
    assert.ok(dev.has(name), `${name} is not in the dev module`);
  }
  for (const name of ['Session', 'ByteBuffer', 'annotate', 'readModel', 'encodeCells', 'predictionsTable'])
    assert.equal(typeof shipped[name], 'function', name);
  for (const name of api(shipped)) assert.ok(dev.has(name), `${name} is not in the dev module`);
});

test('buildInfo tells what was built', () => {
  const b = M.buildInfo();
  assert.equal(b.simd, true);
  assert.equal(b.threads, false);
  assert.match(b.version, /^\d+\.\d+\.\d+/);
});

test('a CSR matrix goes in and its description comes out', () => {
  const s = new M.Session();
  const info = M.matrixFromCsr(s, 'query', tinySpec());
  assert.equal(info.cells, 3);
  assert.equal(info.genes, 4);
  assert.equal(info.nnz, 5);
  assert.equal(info.valueKind, 'raw_counts');
  assert.equal(M.matrixBarcodes(s, 'query'), 'AAAC-1\nAAAG-1\nAAAT-1');
  assert.equal(M.matrixGeneSymbols(s, 'query').split('\n')[2], 'LYZ');
  assert.deepEqual(M.matrixNames(s), ['query']);
  const st = s.matrixCellStats('query');
  assert.deepEqual(Array.from(st.total), [3, 3, 9]);
  assert.deepEqual(Array.from(st.detected), [2, 1, 2]);
  s.delete();
});

test('CSC and COO inputs give the same matrix as CSR', () => {
  const s = new M.Session();
  // The same 3x4 matrix by genes (CSC) and as unordered triplets with one repeat split in two.
  M.matrixFromCsr(s, 'csc', tinySpec({ layout: 'csc', indptr: new Int32Array([0, 2, 3, 4, 5]),
    indices: new Int32Array([0, 2, 1, 2, 0]), values: new Float32Array([1, 4, 3, 5, 2]) }));
  const coo = M.matrixFromCsr(s, 'coo', tinySpec({ layout: 'coo', indptr: undefined,
    rows: new Int32Array([2, 0, 1, 2, 0, 2]), indices: new Int32Array([2, 3, 1, 0, 0, 2]),
    values: new Float32Array([2, 2, 3, 4, 1, 3]) }));
  for (const name of ['csc', 'coo']) {
    const st = s.matrixCellStats(name);
    assert.deepEqual(Array.from(st.total), [3, 3, 9], name);
    assert.deepEqual(Array.from(st.detected), [2, 1, 2], name);
  }
  assert.deepEqual(coo.notes, ['1 repeated entries were summed']);
  s.delete();
});

test('bad input throws a JS Error with the core message and keeps what was loaded', () => {
  const s = new M.Session();
  M.matrixFromCsr(s, 'query', tinySpec());
  assert.throws(() => M.matrixFromCsr(s, 'query', tinySpec({ source: 'bad.h5ad', indices: new Int32Array([0, 9, 1, 0, 2]) })),
    (e) => e instanceof Error && e.name === 'InputError' && e.message === 'bad.h5ad: an index is out of range (9)');
  assert.throws(() => M.matrixFromCsr(s, 'query', tinySpec({ source: 'b.h5', barcodes: 'x\ny' })),
    (e) => e.name === 'InputError' && /b\.h5: 2 cell barcodes for 3 cells/.test(e.message));
  assert.throws(() => M.matrixFromCsr(s, 'query', tinySpec({ source: 'huge.mtx', nCells: 1e12 })),
    (e) => e.name === 'InputError' && /huge\.mtx: declares 1000000000000 cells, above the limit/.test(e.message));
  assert.throws(() => s.matrixInfo('reference'), (e) => e.name === 'InputError' && e.message === 'no reference data loaded yet');
  assert.equal(s.matrixInfo('query').cells, 3, 'the earlier matrix survives a failed load');
  s.delete();
});

test('metadata columns round-trip, with missing values and bad codes refused', () => {
  const s = new M.Session();
  M.matrixFromCsr(s, 'reference', tinySpec());
  M.matrixSetObs(s, 'reference', 'cell_type', 'T\nB', new Int32Array([0, 1, -1]));
  M.matrixSetObs(s, 'reference', 'n_counts', undefined, new Float64Array([3, 3, NaN]));
  const o = s.matrixObs('reference', 'cell_type');
  assert.deepEqual(o.levels, ['T', 'B']);
  assert.deepEqual(Array.from(o.codes), [0, 1, -1]);
  const info = s.matrixInfo('reference');
  assert.deepEqual(info.obs.map((c) => [c.name, c.numeric, c.levels]), [['cell_type', false, 2], ['n_counts', true, 1]]);
  assert.throws(() => M.matrixSetObs(s, 'reference', 'x', 'T', new Int32Array([0, 1, 0])), /category code is out of range/);
  assert.throws(() => M.matrixSetObs(s, 'reference', 'x', 'T', new Int32Array([0])), /1 values for 3 cells/);
  s.delete();
});

// A matrix big enough for the kernels to do real work: cells in 3 groups expressing different genes.
function groupedSpec(nCells = 600, nGenes = 300) {
  const indptr = new Int32Array(nCells + 1), idx = [], val = [];
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let c = 0; c < nCells; ++c) {
    const group = c % 3;
    for (let g = 0; g < nGenes; ++g) {
      const p = Math.floor(g / (nGenes / 3)) === group ? 0.6 : 0.05;
      if (rnd() < p) { idx.push(g); val.push(1 + Math.floor(rnd() * 5)); }
    }
    indptr[c + 1] = idx.length;
  }
  return tinySpec({ source: 'grouped', nCells, nGenes, indptr, indices: Int32Array.from(idx), values: Float32Array.from(val),
    barcodes: Array.from({ length: nCells }, (_, i) => `c${i}`).join('\n'),
    geneIds: Array.from({ length: nGenes }, (_, i) => `g${i}`).join('\n'), geneSymbols: undefined });
}

test('the expression map separates groups of cells, reports progress and is deterministic', () => {
  const s = new M.Session();
  M.matrixFromCsr(s, 'query', groupedSpec());
  const events = [];
  const xy = s.expressionMap('query', undefined, (e) => { events.push(e); return false; });
  assert.equal(xy.length, 1200);
  assert.ok(events.length >= 2 && events.at(-1).fraction === 1);
  // Group centroids far apart relative to the spread within groups.
  const cent = [0, 1, 2].map((g) => {
    let x = 0, y = 0, n = 0;
    for (let c = g; c < 600; c += 3) { x += xy[2 * c]; y += xy[2 * c + 1]; ++n; }
    return [x / n, y / n];
  });
  let within = 0;
  for (let c = 0; c < 600; ++c) within += Math.hypot(xy[2 * c] - cent[c % 3][0], xy[2 * c + 1] - cent[c % 3][1]) / 600;
  const between = Math.min(...[[0, 1], [0, 2], [1, 2]].map(([a, b]) => Math.hypot(cent[a][0] - cent[b][0], cent[a][1] - cent[b][1])));
  assert.ok(between > 3 * within, `groups overlap: between ${between}, within ${within}`);
  assert.deepEqual(s.expressionMap('query', undefined, undefined), xy);
  s.delete();
});

test('returning true from the progress callback cancels with a Cancelled error', () => {
  const s = new M.Session();
  M.matrixFromCsr(s, 'query', groupedSpec());
  let calls = 0;
  assert.throws(() => s.expressionMap('query', undefined, () => ++calls >= 2),
    (e) => e instanceof Error && e.name === 'Cancelled' && e.message === 'cancelled');
  assert.equal(calls, 2);
  // The session still works after a cancel.
  assert.equal(s.expressionMap('query', undefined, () => false).length, 1200);
  s.delete();
});

// Runs fn(T) with the threaded module (2 threads in its pool), or skips when it is not built. It
// is the shipped module (no wasm/dev/ entry points): matrices come in through the readers.
async function withThreaded(t, fn) {
  const T = await loadModule('scpt-mt', { poolSize: 2 });
  if (!T) return t.skip('web/gen/scpt-mt.js not built');
  try {
    fn(T);
  } finally {
    release(T);
  }
}

const pbmc = dataPath('pbmc3k_seurat_labels'), model = defaultModel();

test('the threaded module encodes and maps real cells on 2 threads as on 1, and as the single-threaded module',
  (t) => (!pbmc || !model ? t.skip('needs shared data and models/default.scpt') : withThreaded(t, (T) => {
    const encodeAndMap = (X, s) => {
      const mb = byteBuffer(X, model.bytes), m = X.readModel(mb, model.name);
      mb.delete();
      readTenxFolder(X, s, 'query', pbmc);
      const r = X.encodeCells(s, 'query', m, undefined);
      m.delete();
      return { matched: r.matched, xy: Array.from(s.embeddingMap('query', {}, undefined)) };
    };
    const s = new T.Session();
    s.setThreads(1);
    const one = encodeAndMap(T, s);
    s.setThreads(2);
    assert.equal(s.threads(), 2);
    assert.deepEqual(encodeAndMap(T, s), one);
    s.delete();
    const u = new M.Session();
    assert.deepEqual(encodeAndMap(M, u), one);
    u.delete();
  })));

test('the expression map is the same with 1 and 2 threads and in the single-threaded module', (t) => withThreaded(t, (T) => {
  const s = new T.Session();
  readSpec(T, s, 'query', groupedSpec(900, 240));
  s.setThreads(1);
  const one = s.expressionMap('query', undefined, undefined);
  const u = new M.Session();
  M.matrixFromCsr(u, 'query', groupedSpec(900, 240));
  assert.deepEqual(u.expressionMap('query', undefined, undefined), one);
  u.delete();
  s.setThreads(2);
  assert.deepEqual(s.expressionMap('query', undefined, undefined), one);
  s.delete();
}));

test('the scalar build (when built) computes what the SIMD build computes', async (t) => {
  const S = await loadModule('build-wasm-scalar/web/scpt-scalar-dev');
  if (!S) return t.skip('no scalar build (tools/wasm-build --scalar)');
  assert.equal(S.buildInfo().simd, false);
  const a = new M.Session(), b = new S.Session();
  M.matrixFromCsr(a, 'q', groupedSpec());
  S.matrixFromCsr(b, 'q', groupedSpec());
  assert.equal(M.benchEncodeKernel(a, 'q', 64, 1, undefined).checksum, S.benchEncodeKernel(b, 'q', 64, 1, undefined).checksum);
  a.delete();
  b.delete();
});
