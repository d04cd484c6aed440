#!/usr/bin/env node
// Times the WebAssembly module in Node (V8, the engine of Chromium) on a real dataset: core's 10x
// reader, the expression map, the encoder (with SCPT_TEST_MODEL=file.scpt once core's model code is
// in the module), and the encoder's inner loop (wasm/dev/bench_kernel.cpp) SIMD vs scalar vs threads.
// Usage: node tools/bench-wasm.mjs [--data DIR] [--hidden 200] [--reps 5] [--model FILE.scpt] [--json]
//        (build the variants first: tools/wasm-build --scalar --bench; the kernel is in the dev builds)
// --model: core's encoder (encodeCells: gene match, transform, encode) per module variant, to set
//          beside the native BM_EncodeModel (same data, same model, same code).
// --json: one JSON line per figure {name, value, unit, ...} (tools/bench), no table.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import os from 'node:os';
import { loadModule, release, DATA } from '../tests/wasm/load.mjs';

const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const dir = opt('--data', path.join(DATA, 'soupx_pbmc4k_10x'));
const hidden = Number(opt('--hidden', 200)), reps = Number(opt('--reps', 5));
const json = args.includes('--json');
const modelFile = opt('--model', process.env.SCPT_TEST_MODEL);
const log = (...a) => { if (!json) console.log(...a); };
const emit = (name, value, unit, extra = {}) => { if (json) console.log(JSON.stringify({ name, value, unit, ...extra })); };

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

// Reading: core's 10x folder reader in the module (text already gunzipped, as the browser does).
{
  const M = await loadModule('scpt');
  const pick = (...n) => n.map((x) => path.join(dir, x)).find((p) => fs.existsSync(p));
  const raw = [pick('matrix.mtx.gz', 'matrix.mtx'), pick('features.tsv.gz', 'features.tsv', 'genes.tsv'), pick('barcodes.tsv.gz', 'barcodes.tsv')]
    .map((f) => (f.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(f)) : fs.readFileSync(f)));
  const s = new M.Session();
  const t0 = performance.now();
  const bufs = raw.map((b) => { const x = new M.ByteBuffer(); x.append(new Uint8Array(b.buffer, b.byteOffset, b.length)); return x; });
  const t1 = performance.now();
  s.readTenxFolder('q', ...bufs, {}, undefined);
  const t2 = performance.now();
  log(`read 10x folder in wasm: ${(raw[0].length / 1e6).toFixed(0)} MB of text, copy in ${(t1 - t0).toFixed(0)} ms, parse ${(t2 - t1).toFixed(0)} ms (${(raw[0].length / 1e6 / ((t2 - t1) / 1000)).toFixed(0)} MB/s)`);
  const t3 = performance.now();
  s.expressionMap('q', {}, undefined);
  log(`expression map (PCA + UMAP), 1 thread: ${((performance.now() - t3) / 1000).toFixed(2)} s`);
  // The encoder proper, once core's model code is in the module and a model file is at hand.
  if (typeof M.readModel === 'function' && modelFile) {
    const mb = new M.ByteBuffer();
    mb.append(new Uint8Array(fs.readFileSync(modelFile)));
    const model = M.readModel(mb, path.basename(modelFile));
    const t4 = performance.now();
    const r = M.encodeCells(s, 'q', model, undefined);
    log(`encode ${r.cells} cells x ${r.matched} genes -> ${r.dims}: ${((performance.now() - t4) / 1000).toFixed(3)} s`);
    model.delete();
    mb.delete();
  }
  bufs.forEach((b) => b.delete());
  s.delete();
}

const spec = readTenx(dir);
log(`data: ${dir} (${spec.nCells} cells x ${spec.nGenes} genes, ${spec.values.length} stored values); hidden ${hidden}, ${reps} reps`);
log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; node ${process.version}`);
log('| module | threads | seconds | GFLOP/s |');
log('|---|---|---|---|');
const variants = [['scalar', 'build-wasm-scalar/web/scpt-scalar-dev'], ['SIMD', 'scpt-dev'], ['SIMD + pthreads', 'scpt-mt-dev']];
for (const [label, v] of variants) {
  const M = await loadModule(v, { poolSize: os.cpus().length });
  if (!M) { log(`| ${label} | - | not built | |`); emit(`wasm/kernel/${label}`, null, 'skipped', { skipped: `${v} not built` }); continue; }
  const s = new M.Session();
  M.matrixFromCsr(s, 'q', spec);
  for (const t of M.buildInfo().threads ? [1, Math.min(os.cpus().length, M.buildInfo().maxThreads)] : [1]) {
    s.setThreads(t);
    M.benchEncodeKernel(s, 'q', hidden, 1, undefined);  // warm-up
    const c0 = process.cpuUsage();
    const r = M.benchEncodeKernel(s, 'q', hidden, reps, undefined);
    const cu = process.cpuUsage(c0);
    r.cpu = (cu.user + cu.system) / 1e6 / reps;
    log(`| ${label} | ${t} | ${r.seconds.toFixed(3)} | ${r.gflops.toFixed(2)} |`);
    emit(`wasm/kernel/${label}/threads:${t}`, r.gflops, 'GFLOP/s', { seconds: r.seconds / reps, cpu_s: r.cpu, hidden,
      gflops_by_cpu: r.gflops * (r.seconds / reps) / r.cpu });
  }
  if (typeof M.readModel === 'function' && modelFile) encodeWithModel(M, label);
  s.delete();
  release(M);
}

// core's encoder through the module's encodeCells on the real folder (as the page runs it).
function encodeWithModel(M, label) {
  const pick = (...n) => n.map((x) => path.join(dir, x)).find((p) => fs.existsSync(p));
  const raw = [pick('matrix.mtx.gz', 'matrix.mtx'), pick('features.tsv.gz', 'features.tsv', 'genes.tsv'), pick('barcodes.tsv.gz', 'barcodes.tsv')]
    .map((f) => (f.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(f)) : fs.readFileSync(f)));
  const s = new M.Session();
  const bufs = raw.map((b) => { const x = new M.ByteBuffer(); x.append(new Uint8Array(b.buffer, b.byteOffset, b.length)); return x; });
  s.readTenxFolder('q', ...bufs, {}, undefined);
  bufs.forEach((b) => b.delete());
  const mb = new M.ByteBuffer();
  mb.append(new Uint8Array(fs.readFileSync(modelFile)));
  const model = M.readModel(mb, path.basename(modelFile));
  mb.delete();
  for (const t of M.buildInfo().threads ? [1, Math.min(os.cpus().length, M.buildInfo().maxThreads)] : [1]) {
    s.setThreads(t);
    M.encodeCells(s, 'q', model, undefined);  // warm-up
    const times = [], cpu = [];
    let r;
    for (let i = 0; i < reps; ++i) {
      const t0 = performance.now(), c0 = process.cpuUsage();
      r = M.encodeCells(s, 'q', model, undefined);
      times.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);  // the process's CPU time: robust to other jobs on the machine
    }
    times.sort((x, y) => x - y);
    cpu.sort((x, y) => x - y);
    const med = times[times.length >> 1];
    log(`encodeCells ${label}, ${t} thread(s): ${r.cells} cells x ${r.matched} genes -> ${r.dims}: median ${med.toFixed(3)} s`);
    emit(`wasm/encode_model/${label}/threads:${t}`, med, 's', { cells: r.cells, matched: r.matched, cells_per_s: r.cells / med, reps,
      cpu_s: cpu[cpu.length >> 1] });
  }
  model.delete();
  s.delete();
}
