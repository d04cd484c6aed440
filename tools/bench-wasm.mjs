#!/usr/bin/env node
// Times the WebAssembly module's kernels in Node (V8, the engine of Chromium): SIMD vs scalar,
// 1 thread vs the pool. Today: the encoder's inner loop (wasm/bench_kernel.cpp) on a real dataset.
// When core's encoder lands: add session.encode() here and compare with `scpt embed` natively.
// Usage: node tools/bench-wasm.mjs [--data DIR] [--hidden 200] [--reps 5]
//        (build the variants first: tools/wasm-build --scalar)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { loadModule, release, DATA } from '../tests/wasm/load.mjs';

const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const dir = opt('--data', path.join(DATA, 'soupx_pbmc4k_10x'));
const hidden = Number(opt('--hidden', 200)), reps = Number(opt('--reps', 5));

function readTenx(d) {
  const pick = (...n) => n.map((x) => path.join(d, x)).find((p) => fs.existsSync(p));
  const text = (f) => (f.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(f)) : fs.readFileSync(f)).toString();
  const lines = text(pick('matrix.mtx.gz', 'matrix.mtx')).split('\n');
  let i = 0;
  while (lines[i].startsWith('%')) ++i;
  const [nGenes, nCells, nnz] = lines[i++].trim().split(/\s+/).map(Number);
  const rows = new Int32Array(nnz), genes = new Int32Array(nnz), values = new Float32Array(nnz);
  for (let k = 0; k < nnz; ++k, ++i) {
    const t = lines[i].split(' ');
    genes[k] = +t[0] - 1; rows[k] = +t[1] - 1; values[k] = +t[2];
  }
  const names = (n) => Array.from({ length: n }, (_, j) => `x${j}`).join('\n');
  return { source: d, nCells, nGenes, layout: 'coo', rows, indices: genes, values, barcodes: names(nCells), geneIds: names(nGenes) };
}

const spec = readTenx(dir);
console.log(`data: ${dir} (${spec.nCells} cells x ${spec.nGenes} genes, ${spec.values.length} stored values); hidden ${hidden}, ${reps} reps`);
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}`);
console.log('| module | threads | seconds | GFLOP/s |');
console.log('|---|---|---|---|');
const variants = [['scalar', 'build-wasm-scalar/web/scpt-scalar'], ['SIMD', 'scpt'], ['SIMD + pthreads', 'scpt-mt']];
for (const [label, v] of variants) {
  const M = await loadModule(v, { poolSize: os.cpus().length });
  if (!M) { console.log(`| ${label} | - | not built | |`); continue; }
  const s = new M.Session();
  s.matrixFromCsr('q', spec);
  for (const t of M.buildInfo().threads ? [1, Math.min(os.cpus().length, M.buildInfo().maxThreads)] : [1]) {
    s.setThreads(t);
    s.benchEncodeKernel('q', hidden, 1, undefined);  // warm-up
    const r = s.benchEncodeKernel('q', hidden, reps, undefined);
    console.log(`| ${label} | ${t} | ${r.seconds.toFixed(3)} | ${r.gflops.toFixed(2)} |`);
  }
  s.delete();
  release(M);
}
