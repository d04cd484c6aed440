// HDF5 in the worker through h5wasm (served from our own origin, loaded on first use).
// H5Source is the synchronous, read-only view of one file that the module's C++ side will call
// through emscripten::val once readers' core/io/h5_source.hpp is on main (one C++ layout reader
// for native and browser). Until then the stopgap layout readers below (h5ad, 10x h5) use it.
'use strict';

let h5ready = null;
function loadH5wasm(base) {
  if (!h5ready) {
    importScripts(base + 'gen/h5wasm.js');
    h5ready = self.h5wasm.ready;
  }
  return h5ready;
}

// HDF5 files start with this signature at offset 0, 512, 1024, 2048, ... (after a user block).
// Checking it first gives a clear message instead of an HDF5 library error stack.
async function checkHdf5Signature(file) {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  for (let off = 0; off + 8 <= file.size; off = off ? off * 2 : 512) {
    const b = new Uint8Array(await file.slice(off, off + 8).arrayBuffer());
    if (sig.every((x, i) => b[i] === x)) return;
    if (off >= 1 << 20) break;
  }
  throw inputError(`${file.name}: not an HDF5 file (an .h5ad or 10x .h5 file starts with an HDF5 signature; ` +
    'this one may be damaged, or be another format renamed)');
}

let mountCount = 0;

class H5Source {
  // Mounts the File read-only through WORKERFS: h5wasm reads slices of it, nothing is copied whole.
  constructor(file) {
    const FS = self.h5wasm.FS;
    this.dir = `/input-${++mountCount}`;
    FS.mkdir(this.dir);
    FS.mount(FS.filesystems.WORKERFS, { files: [file] }, this.dir);
    this.name = file.name;
    try {
      this.file = new self.h5wasm.File(`${this.dir}/${file.name}`, 'r');
    } catch (e) {
      this.unmount();
      throw inputError(`${file.name}: not an HDF5 file or damaged (${e.message || e})`);
    }
    if (!this.file || this.file.file_id == null || this.file.file_id < 0) {
      this.unmount();
      throw inputError(`${file.name}: not an HDF5 file or damaged`);
    }
  }
  unmount() {
    const FS = self.h5wasm.FS;
    try { FS.unmount(this.dir); FS.rmdir(this.dir); } catch (e) { /* already gone */ }
  }
  close() {
    try { this.file.close(); } catch (e) { /* closing twice is harmless */ }
    this.unmount();
  }
  node(path) {
    const o = this.file.get(path);
    return o == null ? null : o;
  }
  // 'group' | 'dataset' | null
  kind(path) {
    const o = this.node(path);
    if (!o) return null;
    return o instanceof self.h5wasm.Group ? 'group' : o instanceof self.h5wasm.Dataset ? 'dataset' : null;
  }
  keys(path) {
    const o = this.node(path);
    return o instanceof self.h5wasm.Group ? o.keys() : [];
  }
  shape(path) { return this.node(path).shape.map(Number); }
  // {cls: 'int'|'float'|'string'|'enum'|'compound'|'other', size, signed}
  dtype(path) {
    const m = this.node(path).metadata;
    const cls = { 0: 'int', 1: 'float', 3: 'string', 6: 'compound', 8: 'enum' }[m.type] || 'other';
    return { cls, size: m.size, signed: !!m.signed };
  }
  // An attribute as a plain JS value (BigInt -> Number; 1-element arrays stay arrays), or undefined.
  attr(path, name) {
    const o = path === '/' ? this.file : this.node(path);
    if (!o || !o.attrs || !(name in o.attrs)) return undefined;
    return plainValue(o.attrs[name].value);
  }
  // Reads [start, start+count) of a 1-D dataset (whole when omitted), or rows of a 2-D one.
  // Numbers come as typed arrays (int64 as Float64Array: exact below 2^53), strings as arrays.
  read(path, start, count) {
    const ds = this.node(path);
    if (!(ds instanceof self.h5wasm.Dataset)) throw inputError(`${this.name}: ${path} is missing or not a dataset`);
    let v;
    if (start === undefined) v = ds.value;
    else v = ds.slice([[start, start + count]]);
    return plainValue(v);
  }
}

function plainValue(v) {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; ++i) out[i] = Number(v[i]);
    return out;
  }
  return v;
}

function asStrings(v) {
  if (Array.isArray(v)) return v.map((x) => (x == null ? '' : String(x)));
  if (typeof v === 'string') return [v];
  return Array.from(v, String);
}

// ---------------------------------------------------------------- stopgap layout readers

// A sparse (group with data/indices/indptr) or dense matrix node of an h5ad: cells x genes.
function readH5adMatrix(src, path, ctl) {
  const kind = src.kind(path);
  if (kind === 'group') {
    const enc = String(src.attr(path, 'encoding-type') || src.attr(path, 'h5sparse_format') || '');
    const shape = src.attr(path, 'shape') || src.attr(path, 'h5sparse_shape');
    if (!shape) throw inputError(`${src.name}: ${path} has no shape`);
    const layout = /csc/.test(enc) ? 'csc' : 'csr';
    ctl.progress('read', 0.2, `reading ${path}`);
    const indptr = src.read(`${path}/indptr`);
    checkCancel(ctl);
    const indices = src.read(`${path}/indices`);
    checkCancel(ctl);
    const values = src.read(`${path}/data`);
    return { nCells: Number(shape[0]), nGenes: Number(shape[1]), layout, indptr, indices, values };
  }
  if (kind === 'dataset') {
    const [n, g] = src.shape(path);
    if (src.shape(path).length !== 2) throw inputError(`${src.name}: ${path} is not a 2-D matrix`);
    const ptr = new Float64Array(n + 1);
    let idx = [], val = [];
    const block = Math.max(1, Math.floor(4e6 / Math.max(1, g)));
    for (let r0 = 0; r0 < n; r0 += block) {
      checkCancel(ctl);
      ctl.progress('read', r0 / n, `reading ${path}`);
      const r1 = Math.min(n, r0 + block);
      const dense = src.node(path).slice([[r0, r1], [0, g]]);
      for (let r = r0; r < r1; ++r) {
        const off = (r - r0) * g;
        for (let j = 0; j < g; ++j) {
          const x = dense[off + j];
          if (x !== 0) { idx.push(j); val.push(x); }
        }
        ptr[r + 1] = idx.length;
      }
    }
    return { nCells: n, nGenes: g, layout: 'csr', indptr: ptr, indices: Int32Array.from(idx), values: Float32Array.from(val) };
  }
  return null;
}

function hasNegative(values) {
  for (let i = 0; i < values.length; ++i) if (values[i] < 0) return true;
  return false;
}

function dataframeIndex(src, path) {
  const key = src.attr(path, '_index') || '_index';
  if (src.kind(`${path}/${key}`) === 'dataset') return asStrings(src.read(`${path}/${key}`));
  if (src.kind(`${path}/index`) === 'dataset') return asStrings(src.read(`${path}/index`));
  throw inputError(`${src.name}: ${path} has no index (old AnnData files before 0.7 are not supported yet)`);
}

// Per-cell columns of obs: categorical (new and pre-0.8 layouts), strings, numbers.
function readObsColumns(src, n) {
  const out = [];
  const indexKey = src.attr('obs', '_index') || '_index';
  for (const key of src.keys('obs')) {
    if (key === indexKey || key === '__categories') continue;
    const p = `obs/${key}`;
    try {
      if (src.kind(p) === 'group' && src.kind(`${p}/codes`) === 'dataset') {
        out.push({ name: key, levels: asStrings(src.read(`${p}/categories`)), codes: Int32Array.from(src.read(`${p}/codes`)) });
      } else if (src.kind(p) === 'dataset' && src.shape(p).length === 1 && src.shape(p)[0] === n) {
        const dt = src.dtype(p);
        if (src.kind(`obs/__categories/${key}`) === 'dataset') {
          out.push({ name: key, levels: asStrings(src.read(`obs/__categories/${key}`)), codes: Int32Array.from(src.read(p)) });
        } else if (dt.cls === 'string') {
          const v = asStrings(src.read(p)), levels = [], at = new Map();
          const codes = new Int32Array(n);
          v.forEach((s, i) => {
            if (!at.has(s)) { at.set(s, levels.length); levels.push(s); }
            codes[i] = at.get(s);
          });
          out.push({ name: key, levels, codes });
        } else if (dt.cls === 'int' || dt.cls === 'float' || dt.cls === 'enum') {
          out.push({ name: key, numbers: Float64Array.from(src.read(p), Number) });
        }
      }
    } catch (e) { /* a column we cannot read is skipped, not fatal */ }
  }
  return out;
}

function readH5ad(src, ctl) {
  let m = readH5adMatrix(src, 'X', ctl), varPath = 'var';
  const notes = [];
  if (!m) throw inputError(`${src.name}: no X matrix (is this an AnnData .h5ad file?)`);
  // A scaled X (negative values) is useless for annotation; AnnData keeps the unscaled values in raw.
  if (hasNegative(m.values) && src.kind('raw/X')) {
    m = readH5adMatrix(src, 'raw/X', ctl);
    varPath = 'raw/var';
    notes.push('X holds scaled values: using raw/X instead');
  }
  const barcodes = dataframeIndex(src, 'obs');
  const varIndex = dataframeIndex(src, varPath);
  let ids = varIndex, symbols = varIndex;
  for (const col of ['feature_name', 'gene_symbols', 'gene_name']) {
    if (src.kind(`${varPath}/${col}`)) {
      const p = `${varPath}/${col}`;
      symbols = src.kind(p) === 'group'
        ? (() => { const lv = asStrings(src.read(`${p}/categories`)); return Array.from(src.read(`${p}/codes`), (c) => lv[c] ?? ''); })()
        : asStrings(src.read(p));
      break;
    }
  }
  if (src.kind(`${varPath}/gene_ids`) === 'dataset') ids = asStrings(src.read(`${varPath}/gene_ids`));
  if (barcodes.length !== m.nCells) throw inputError(`${src.name}: obs has ${barcodes.length} cells but X has ${m.nCells}`);
  if (symbols.length !== m.nGenes) throw inputError(`${src.name}: var has ${symbols.length} genes but X has ${m.nGenes}`);
  return {
    spec: { source: src.name, ...m, barcodes: barcodes.join('\n'), geneIds: ids.join('\n'), geneSymbols: symbols.join('\n') },
    obs: readObsColumns(src, m.nCells), notes,
  };
}

function readTenxH5(src, ctl) {
  let g = 'matrix', notes = [];
  if (src.kind('matrix') !== 'group') {
    const groups = src.keys('/').filter((k) => src.kind(k) === 'group' && src.kind(`${k}/indptr`));
    if (!groups.length) throw inputError(`${src.name}: neither a 10x HDF5 matrix nor an AnnData file`);
    g = groups[0];
    if (groups.length > 1) notes.push(`the file has ${groups.length} genomes (${groups.join(', ')}): using ${g}`);
  }
  const shape = src.read(`${g}/shape`);
  ctl.progress('read', 0.2, `reading ${g}`);
  const v3 = src.kind(`${g}/features`) === 'group';
  const ids = asStrings(src.read(v3 ? `${g}/features/id` : `${g}/genes`));
  const symbols = asStrings(src.read(v3 ? `${g}/features/name` : `${g}/gene_names`));
  const spec = {
    source: src.name, nGenes: Number(shape[0]), nCells: Number(shape[1]), layout: 'csr',
    indptr: src.read(`${g}/indptr`), indices: src.read(`${g}/indices`), values: src.read(`${g}/data`),
    barcodes: asStrings(src.read(`${g}/barcodes`)).join('\n'), geneIds: ids.join('\n'), geneSymbols: symbols.join('\n'),
  };
  return { spec, obs: [], notes };
}

function readHdf5(src, ctl) {
  if (src.kind('X')) return readH5ad(src, ctl);
  if (src.kind('matrix') && src.kind('row_attrs'))
    throw inputError(`${src.name}: Loom files are read once the core HDF5 readers are in the app; convert to .h5ad for now`);
  return readTenxH5(src, ctl);
}
