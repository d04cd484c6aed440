// Real 10x data through the module: the matrix it builds from a Cell Ranger folder has the
// dimensions, entries and per-cell totals that an independent reading of the same files gives,
// and (once `scpt info` exists natively) the same description as the native tool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { loadModule, dataPath, ROOT } from './load.mjs';

const M = await loadModule('scpt');

function readText(file) {
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

// Matrix Market (genes x cells, 1-based) -> triplets for the module's "coo" layout.
function readTenx(dir) {
  const pick = (...names) => names.map((n) => path.join(dir, n)).find((p) => fs.existsSync(p));
  const lines = readText(pick('matrix.mtx.gz', 'matrix.mtx')).split('\n');
  let i = 0;
  while (lines[i].startsWith('%')) ++i;
  const [nGenes, nCells, nnz] = lines[i++].trim().split(/\s+/).map(Number);
  const rows = new Int32Array(nnz), genes = new Int32Array(nnz), values = new Float32Array(nnz);
  for (let k = 0; k < nnz; ++k, ++i) {
    const t = lines[i].trim().split(/\s+/);
    genes[k] = +t[0] - 1; rows[k] = +t[1] - 1; values[k] = t.length > 2 ? +t[2] : 1;
  }
  const strip = (t) => t.split('\n').filter((l) => l.length);
  const features = strip(readText(pick('features.tsv.gz', 'features.tsv', 'genes.tsv.gz', 'genes.tsv'))).map((l) => l.split('\t'));
  const barcodes = strip(readText(pick('barcodes.tsv.gz', 'barcodes.tsv')));
  return {
    source: 'matrix.mtx', nCells, nGenes, layout: 'coo', rows, indices: genes, values,
    barcodes: barcodes.join('\n'), geneIds: features.map((f) => f[0]).join('\n'),
    geneSymbols: features.map((f) => f[1] ?? f[0]).join('\n'),
  };
}

for (const name of ['pbmc3k_seurat_labels', 'fixtures/seurat_testdata/cr3.0']) {
  test(`${name}: the module's matrix matches an independent reading`, (t) => {
    const dir = dataPath(name);
    if (!dir) return t.skip(`shared data ${name} absent`);
    const spec = readTenx(dir);
    const s = new M.Session();
    const info = s.matrixFromCsr('query', spec);
    assert.equal(info.cells, spec.nCells);
    assert.equal(info.genes, spec.nGenes);
    const distinct = new Set();
    spec.rows.forEach((c, k) => distinct.add(c * spec.nGenes + spec.indices[k]));
    assert.equal(info.nnz, distinct.size, 'one stored value per distinct (cell, gene)');
    // Per-cell totals summed here in double precision from the triplets.
    const expect = new Float64Array(spec.nCells);
    spec.rows.forEach((c, k) => { expect[c] += spec.values[k]; });
    const got = s.matrixCellStats('query').total;
    for (let c = 0; c < spec.nCells; ++c) assert.ok(Math.abs(got[c] - expect[c]) <= 1e-4 * Math.max(1, expect[c]), `cell ${c}`);
    assert.equal(s.matrixBarcodes('query').split('\n')[0], spec.barcodes.split('\n')[0]);
    // Native description, when the CLI can give one.
    const cli = path.join(ROOT, 'build', 'bin', 'scpt');
    if (fs.existsSync(cli)) {
      const r = spawnSync(cli, ['info', dir], { encoding: 'utf8' });
      if (r.status === 0) {
        const native = JSON.parse(r.stdout);
        const pickNum = (o, ...keys) => keys.map((k) => o[k]).find((v) => typeof v === 'number');
        assert.equal(pickNum(native, 'cells', 'n_cells'), info.cells);
        assert.equal(pickNum(native, 'genes', 'n_genes'), info.genes);
        const nnz = pickNum(native, 'nnz', 'nonzeros', 'stored_values');
        if (nnz !== undefined) assert.equal(nnz, info.nnz);
      }
    }
    s.delete();
  });
}
