// Loads a build of the module in Node. Node 20's fetch cannot read file: URLs, so the .wasm bytes
// are handed over as wasmBinary (see the toolchain notes).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA = process.env.SCPT_DATA || path.resolve(ROOT, '..', 'shared', 'data');
const require = createRequire(import.meta.url);

// variant: 'scpt' (web/gen, SIMD single thread: the shipped module), 'scpt-mt' (web/gen, threads),
// 'scpt-dev' (web/gen/dev: the shipped module + the test-only entry points of wasm/dev/), or a
// path prefix such as build-wasm-scalar/web/scpt-scalar-dev. Returns null when that build is absent.
export async function loadModule(variant = 'scpt', options = {}) {
  const prefix = variant.includes('/') ? path.join(ROOT, variant)
    : path.join(ROOT, 'web', 'gen', ...(variant.endsWith('-dev') ? ['dev'] : []), variant);
  if (!fs.existsSync(`${prefix}.js`)) return null;
  const create = require(`${prefix}.js`);
  return create({ wasmBinary: fs.readFileSync(`${prefix}.wasm`), print: () => {}, printErr: () => {}, ...options });
}

export function dataPath(...parts) {
  const p = path.join(DATA, ...parts);
  return fs.existsSync(p) ? p : null;
}

// A small matrix in CSR form: 3 cells x 4 genes.
export function tinySpec(overrides = {}) {
  return {
    source: 'tiny', nCells: 3, nGenes: 4,
    indptr: new Int32Array([0, 2, 3, 5]), indices: new Int32Array([0, 3, 1, 0, 2]),
    values: new Float32Array([1, 2, 3, 4, 5]),
    barcodes: 'AAAC-1\nAAAG-1\nAAAT-1', geneIds: 'ENSG1\nENSG2\nENSG3\nENSG4', geneSymbols: 'CD3E\nMS4A1\nLYZ\nNKG7',
    ...overrides,
  };
}

// Ends the pthread workers of a threaded module (they would keep Node's event loop alive).
export function release(M) {
  if (M && M.PThread) M.PThread.terminateAllThreads();
}

// Bytes copied into a new ByteBuffer of module M (the caller deletes it).
export function byteBuffer(M, bytes) {
  const b = new M.ByteBuffer();
  b.append(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  return b;
}

// The three files of a 10x folder (matrix.mtx.gz, features.tsv, barcodes.tsv) read into session s
// as `role`, as the worker feeds them; labels, if any, are not read.
export function readTenxFolder(M, s, role, dir) {
  const bufs = [zlib.gunzipSync(fs.readFileSync(path.join(dir, 'matrix.mtx.gz'))), fs.readFileSync(path.join(dir, 'features.tsv')),
    fs.readFileSync(path.join(dir, 'barcodes.tsv'))].map((bytes) => byteBuffer(M, bytes));
  try {
    return s.readTenxFolder(role, ...bufs, {}, undefined);
  } finally {
    bufs.forEach((b) => b.delete());
  }
}

// A CSR spec (tinySpec's form) read into session s of module X as `role` through the 10x folder
// reader, as a file would come in: for modules without wasm/dev/'s matrixFromCsr (the shipped ones).
export function readSpec(X, s, role, spec) {
  const lines = ['%%MatrixMarket matrix coordinate real general', `${spec.nGenes} ${spec.nCells} ${spec.values.length}`];
  for (let c = 0; c < spec.nCells; ++c)
    for (let k = spec.indptr[c]; k < spec.indptr[c + 1]; ++k) lines.push(`${spec.indices[k] + 1} ${c + 1} ${spec.values[k]}`);
  const ids = spec.geneIds.split('\n'), symbols = (spec.geneSymbols || spec.geneIds).split('\n');
  const features = ids.map((id, g) => `${id}\t${symbols[g]}\tGene Expression`).join('\n');
  const bufs = [lines.join('\n') + '\n', features + '\n', spec.barcodes + '\n'].map((text) => byteBuffer(X, Buffer.from(text)));
  try {
    return s.readTenxFolder(role, ...bufs, {}, undefined);
  } finally {
    bufs.forEach((b) => b.delete());
  }
}

// The first shipped model, {name, bytes}, or null (models/*.scpt, or $SCPT_TEST_MODEL).
export function defaultModel() {
  const dir = path.join(ROOT, 'models');
  const file = process.env.SCPT_TEST_MODEL ||
    (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.scpt')).sort().map((f) => path.join(dir, f))[0] : null);
  return file ? { name: path.basename(file), bytes: fs.readFileSync(file) } : null;
}

// The page's annotate request (web/worker.js's annotate op): matrix roles, the labels column, a
// classifier, and the rest as `scpt annotate`'s settings by their flag names (seed, finetune,
// 'min-probability', ...). modelNamed: the user chose the model (it must fit the genes).
export function annotateRequest({ reference = 'reference', query = '', labelColumn = '', classifier = '', modelNamed = false,
  names = {}, embedding = false, ...settings } = {}) {
  return { reference, query, labelColumn, classifier, modelNamed, names, embedding, settings };
}
