// Real files through core's readers in the module, fed as the worker feeds them (bytes gunzipped
// outside the module into a ByteBuffer; HDF5 through web/worker/h5.js over h5wasm), checked
// against an independent reading and against the native tool (`scpt info`, when built): the
// browser and the CLI must see the same matrix.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import h5wasm from 'h5wasm/node';
import { loadModule, dataPath, ROOT } from './load.mjs';
import { H5Source } from '../../web/worker/h5.js';

const M = await loadModule('scpt-dev');
if (!M) throw new Error('web/gen/scpt.js missing: run tools/wasm-build first');
{
  // The compression plugins the worker installs (web/worker/h5.js loadH5wasm).
  const H = await h5wasm.ready;
  const dir = H.get_plugin_search_paths()[0];
  H.FS.mkdirTree(dir);
  for (const p of ['lzf', 'blosc', 'zstd'])
    H.FS.writeFile(`${dir}/libH5Z${p}.so`, fs.readFileSync(path.join(ROOT, 'node_modules', 'h5wasm-plugins', 'plugins', `libH5Z${p}.so`)));
}
const sessions = [];
after(() => sessions.forEach((s) => s.delete()));
function session() { const s = new M.Session(); sessions.push(s); return s; }

function bytes(file) {
  const b = fs.readFileSync(file);
  return file.endsWith('.gz') ? zlib.gunzipSync(b) : b;
}
function buffer(file) {
  const buf = new M.ByteBuffer();
  const b = bytes(file);
  for (let at = 0; at < b.length; at += 1 << 20) buf.append(new Uint8Array(b.buffer, b.byteOffset + at, Math.min(1 << 20, b.length - at)));
  return buf;
}

// The worker's H5Source (web/worker/h5.js) run in Node over h5wasm's Node build, opening a path
// instead of mounting a browser File.
function openH5(file) {
  const src = Object.create(H5Source.prototype);
  src.lib = h5wasm;
  src.name = path.basename(file);
  src.lastError = '';
  src.file = new h5wasm.File(file, 'r');
  src.close = () => src.file.close();
  return src;
}

function nativeInfo(target) {
  const cli = path.join(ROOT, 'build', 'bin', 'scpt');
  if (!fs.existsSync(cli)) return null;
  const r = spawnSync(cli, ['info', target], { encoding: 'utf8' });
  return r.status === 0 ? JSON.parse(r.stdout) : null;
}

function assertSameAsNative(info, native, s, role) {
  if (!native) return;
  assert.equal(info.cells, native.cells);
  assert.equal(info.genes, native.genes);
  assert.equal(info.nnz, native.nnz);
  assert.equal(info.valueKind, native.value_kind);
  assert.equal(info.min, native.values.min);
  assert.equal(info.max, native.values.max);
  assert.deepEqual(M.matrixGeneSymbols(s, role).split('\n').slice(0, native.genes_first.length), native.genes_first);
}

for (const name of ['pbmc3k_seurat_labels', 'fixtures/seurat_testdata/cr3.0', 'fixtures/soupx_toy/filtered_gene_bc_matrices/GRCh38']) {
  test(`10x folder ${name}: core's reader in the module agrees with an independent reading and the native tool`, (t) => {
    const dir = dataPath(name);
    if (!dir) return t.skip(`shared data ${name} absent`);
    const pick = (...n) => n.map((x) => path.join(dir, x)).find((p) => fs.existsSync(p));
    const files = [pick('matrix.mtx.gz', 'matrix.mtx'), pick('features.tsv.gz', 'features.tsv', 'genes.tsv.gz', 'genes.tsv'), pick('barcodes.tsv.gz', 'barcodes.tsv')];
    const bufs = files.map(buffer);
    const s = session();
    const events = [];
    const info = s.readTenxFolder('query', ...bufs, { matrix: path.basename(files[0]), features: path.basename(files[1]), barcodes: path.basename(files[2]) },
      (e) => { events.push(e); return false; });
    bufs.forEach((b) => b.delete());
    assert.equal(info.format, '10x_folder');
    // Independent: totals per cell straight from the Matrix Market text.
    const lines = bytes(files[0]).toString('utf8').split('\n');
    let i = 0;
    while (lines[i].startsWith('%')) ++i;
    const [nGenes, nCells, nnz] = lines[i++].trim().split(/\s+/).map(Number);
    assert.equal(info.cells, nCells);
    // Core keeps "Gene Expression" features only (antibody capture etc. set aside).
    const types = bytes(files[1]).toString('utf8').trim().split('\n').map((l) => l.split('\t')[2]);
    const kept = types.map((t) => t === undefined || t === 'Gene Expression');
    assert.equal(nGenes, types.length);
    assert.equal(info.genes, kept.filter(Boolean).length);
    const total = new Float64Array(nCells);
    for (let k = 0; k < nnz; ++k) {
      const f = lines[i + k].trim().split(/\s+/);
      if (kept[+f[0] - 1]) total[+f[1] - 1] += f.length > 2 ? +f[2] : 1;
    }
    const got = s.matrixCellStats('query').total;
    for (let c = 0; c < nCells; ++c) assert.ok(Math.abs(got[c] - total[c]) <= 1e-4 * Math.max(1, total[c]), `cell ${c}: ${got[c]} vs ${total[c]}`);
    assert.equal(M.matrixBarcodes(s, 'query').split('\n')[0], bytes(files[2]).toString('utf8').split('\n')[0].split('\t')[0]);
    assert.ok(events.some((e) => e.stage === 'read'), 'read progress reported');
    assertSameAsNative(info, nativeInfo(dir), s, 'query');

    // The streaming reader (what the worker tries first) builds the same matrix.
    const [fb, bb] = [files[1], files[2]].map(buffer);
    const stream = M.openTenxStream(fb, bb, { matrix: path.basename(files[0]) });
    fb.delete();
    bb.delete();
    const text = bytes(files[0]);
    let sinfo;
    try {
      for (let at = 0; at < text.length; at += 65537) stream.feed(new Uint8Array(text.buffer, text.byteOffset + at, Math.min(65537, text.length - at)));
      sinfo = stream.finish(s, 'streamed');
    } catch (e) {
      // Not sorted by cell (some fixtures): the stream says so and the worker reads the file whole.
      assert.equal(e.name, 'InputError');
      assert.match(e.message, /not sorted by cell.*read the whole file/);
      return;
    } finally {
      stream.delete();
    }
    for (const k of ['cells', 'genes', 'nnz', 'valueKind', 'min', 'max']) assert.equal(sinfo[k], info[k], k);
    assert.deepEqual(s.matrixCellStats('streamed'), s.matrixCellStats('query'));
    assert.equal(M.matrixGeneIds(s, 'streamed'), M.matrixGeneIds(s, 'query'));
    assert.equal(M.matrixBarcodes(s, 'streamed'), M.matrixBarcodes(s, 'query'));
  });
}

for (const name of ['fixtures/h5ad/10x_pbmc68k_reduced.h5ad', 'fixtures/h5ad/pbmc_5k_protein_v3.h5ad', 'fixtures/scp_ingest/test.h5ad',
  'fixtures/scp_ingest/test_loom.loom', 'fixtures/scanpy_10x/3.0.0/filtered_feature_bc_matrix.h5', 'fixtures/scanpy_10x/1.2.0/multiple_genomes.h5']) {
  test(`HDF5 ${name}: read through h5wasm and core's layout readers as natively`, (t) => {
    const file = dataPath(name);
    if (!file) return t.skip(`shared data ${name} absent`);
    const src = openH5(file);
    const s = session();
    let info;
    try {
      info = s.readHdf5('query', src, {}, undefined);
    } finally {
      src.close();
    }
    const native = nativeInfo(file);
    if (!native) return t.skip('native scpt info not built');
    assert.equal(info.format, native.format);
    assertSameAsNative(info, native, s, 'query');
    // Metadata columns: same names, kinds and level counts.
    const nativeObs = Object.entries(native.obs || {}).map(([k, v]) => [k, v.kind !== 'categorical', v.levels]);
    assert.deepEqual(info.obs.map((c) => [c.name, c.numeric, c.levels]), nativeObs);
  });
}

test('a damaged HDF5 read fails with a message naming the file, through the adapter', (t) => {
  const file = dataPath('fixtures/h5ad/10x_pbmc68k_reduced.h5ad');
  if (!file) return t.skip('shared data absent');
  const src = openH5(file);
  // An adapter whose reads fail (as h5wasm does on a truncated file) must give an InputError, not a crash.
  src.readNumbers = function () { this.lastError = 'read error at offset 123'; return null; };
  const s = session();
  try {
    assert.throws(() => s.readHdf5('query', src, {}, undefined),
      (e) => e.name === 'InputError' && e.message.startsWith('10x_pbmc68k_reduced.h5ad: ') && /read error at offset 123/.test(e.message));
  } finally {
    src.close();
  }
});

// The files that crash, hang or exhaust Debian's libhdf5 1.10.8 in-process (natively scpt reads
// them in a child process: tests/tools/isolated_h5_test.cpp) through the page's reader: h5wasm's
// newer libhdf5 and core's layout readers answer each with a message or a valid matrix, promptly.
// endless_loop.h5 makes h5wasm's libhdf5 loop forever as well: the page's watchdog for that is
// tested in the browser (tests/browser/hdf5_library.test.mjs), a synchronous call here cannot be cut.
for (const name of ['division_by_zero', 'invalid_free', 'unbounded_allocation']) {
  test(`libhdf5 crash file ${name}.h5 through h5wasm: a message naming the file or a valid matrix`, () => {
    const file = path.join(ROOT, 'tests', 'tools', 'h5_library_crashes', `${name}.h5`);
    const s = session();
    let src;
    try {
      src = openH5(file);
    } catch (e) {
      return;  // h5wasm refuses to open it: the worker reports that as the file's error
    }
    try {
      const info = s.readHdf5('query', src, {}, undefined);
      assert.ok(info.cells > 0 && info.genes > 0);
    } catch (e) {
      assert.equal(e.name, 'InputError', String(e));
      assert.ok(e.message.startsWith(`${name}.h5: `), e.message);
    } finally {
      src.close();
    }
  });
}

test('labels attach to the reference by barcode; a file matching no cell is refused', (t) => {
  const dir = dataPath('pbmc3k_seurat_labels');
  if (!dir) return t.skip('shared data absent');
  const s = session();
  const bufs = ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((f) => buffer(path.join(dir, f)));
  s.readTenxFolder('reference', ...bufs, {}, undefined);
  bufs.forEach((b) => b.delete());
  const lb = buffer(path.join(dir, 'labels.tsv'));
  const r = s.attachLabels('reference', lb, 'labels.tsv', '');
  lb.delete();
  assert.equal(r.matched, 2638);
  assert.equal(r.classes, 9);
  const col = s.matrixObs('reference', r.column);
  const want = new Map(fs.readFileSync(path.join(dir, 'labels.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t')));
  const bcs = M.matrixBarcodes(s, 'reference').split('\n');
  bcs.forEach((b, i) => assert.equal(col.levels[col.codes[i]], want.get(b)));
  const bad = new M.ByteBuffer();
  bad.append(new TextEncoder().encode('XYZ-1\tB cell\nXYZ-2\tT cell\n'));
  assert.throws(() => s.attachLabels('reference', bad, 'other.tsv', ''),
    (e) => e.name === 'InputError' && /^other\.tsv: none of its 2 barcodes is a cell of the reference/.test(e.message));
  bad.delete();
});

test('a folder\'s obs.tsv and labels.tsv become metadata columns as natively', (t) => {
  const dir = dataPath('pbmc3k_seurat_labels');
  if (!dir) return t.skip('shared data absent');
  const s = session();
  const bufs = ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((f) => buffer(path.join(dir, f)));
  s.readTenxFolder('query', ...bufs, {}, undefined);
  bufs.forEach((b) => b.delete());
  const [ob, lb] = ['obs.tsv', 'labels.tsv'].map((f) => buffer(path.join(dir, f)));
  s.attachFolderMetadata('query', ob, 'obs.tsv', lb, 'labels.tsv');
  ob.delete();
  lb.delete();
  const info = s.matrixInfo('query');
  const native = nativeInfo(dir);
  if (!native) return t.skip('native scpt info not built');
  const nativeObs = Object.entries(native.obs || {}).map(([k, v]) => [k, v.kind !== 'categorical', v.levels]);
  assert.deepEqual(info.obs.map((c) => [c.name, c.numeric, c.levels]), nativeObs);
});

test('CSV text goes through core\'s delimited reader', () => {
  const s = session();
  const b = new M.ByteBuffer();
  b.append(new TextEncoder().encode('gene,AAAC-1,AAAG-1,AAAT-1\nCD3E,1,0,2\nMS4A1,0,5,0\nLYZ,3,0,0\nNKG7,0,0,1\n'));
  const info = s.readDelimited('query', b, 'small.csv', undefined);
  b.delete();
  assert.equal(info.cells, 3);
  assert.equal(info.genes, 4);
  assert.equal(info.nnz, 5);
  assert.deepEqual(Array.from(s.matrixCellStats('query').total), [4, 5, 3]);
});
