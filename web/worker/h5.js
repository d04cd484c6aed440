// HDF5 in the worker through h5wasm (served from our own origin, loaded on first use).
// H5Source is the synchronous, read-only view of one file that the module's C++ side calls through
// emscripten::val (wasm/h5_val_source.hpp), so core's layout readers (10x .h5, .h5ad, Loom,
// Cell BLAST) are the same code natively and in the browser.
import { M } from './module.js';
import { inputError } from './util.js';

// Compression filters installed as h5wasm plugins (gzip and shuffle are built in).
const H5_PLUGINS = ['lzf', 'blosc', 'zstd'];
// Filter ids h5wasm can decode: deflate, shuffle, fletcher32, szip, nbit, scaleoffset + the plugins.
const H5_FILTERS = new Set([1, 2, 3, 4, 5, 6, 32000, 32001, 32015]);
const GEN = new URL('../gen/', import.meta.url).href;

// h5wasm's ES module build (gen/h5wasm/, copied from npm by tools/wasm-build): its namespace once
// loadH5wasm has resolved; each H5Source reads through it.
let h5 = null;
let h5ready = null;
export function loadH5wasm() {
  if (!h5ready) {
    h5ready = import(`${GEN}h5wasm/hdf5_hl.js`).then((ns) => ns.ready.then(async (Module) => {
      const dir = Module.get_plugin_search_paths()[0];
      Module.FS.mkdirTree(dir);
      for (const p of H5_PLUGINS) {
        const r = await fetch(`${GEN}h5plugins/libH5Z${p}.so`);
        if (r.ok) Module.FS.writeFile(`${dir}/libH5Z${p}.so`, new Uint8Array(await r.arrayBuffer()));
      }
      h5 = ns;
      return Module;
    }));
  }
  return h5ready;
}

// HDF5 files start with this signature at offset 0, 512, 1024, 2048, ... (after a user block).
// Checking it first gives a clear message instead of an HDF5 library error stack.
export async function checkHdf5Signature(file) {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  for (let off = 0; off + 8 <= file.size; off = off ? off * 2 : 512) {
    const b = new Uint8Array(await file.slice(off, off + 8).arrayBuffer());
    if (sig.every((x, i) => b[i] === x)) return;
    if (off >= 1 << 20) break;
  }
  // The CLI's words (core/io/read_failures.hpp).
  throw inputError(`${file.name}: ${M.readFailure('not-hdf5', '')}`);
}

let mountCount = 0;

// The H5Source contract of wasm/h5_val_source.hpp over h5wasm. Methods never throw: they return
// null and set lastError, because a JS exception crossing wasm frames would skip C++ destructors.
export class H5Source {
  // Mounts the File read-only through WORKERFS: h5wasm reads the parts it needs, nothing is copied whole.
  constructor(file) {
    this.lib = h5;  // the h5wasm it reads through (the tests give h5wasm's Node build)
    const FS = this.lib.FS;
    this.dir = `/input-${++mountCount}`;
    FS.mkdir(this.dir);
    FS.mount(FS.filesystems.WORKERFS, { files: [file] }, this.dir);
    this.name = file.name;
    this.size = file.size;
    this.lastError = '';
    try {
      this.file = new this.lib.File(`${this.dir}/${file.name}`, 'r');
    } catch (e) {
      this.file = null;
    }
    if (!this.file || this.file.file_id == null || this.file.file_id < 0) {
      this.close();
      throw inputError(`${file.name}: ${M.readFailure('hdf5-unopenable', '')}`);
    }
  }

  close() {
    try { if (this.file) this.file.close(); } catch (e) { /* already closed */ }
    this.file = null;
    const FS = this.lib.FS;
    try { FS.unmount(this.dir); FS.rmdir(this.dir); } catch (e) { /* already gone */ }
  }

  guard(fn) {
    try {
      return fn();
    } catch (e) {
      this.lastError = (e && e.message) || String(e);
      return null;
    }
  }

  node(path) {
    if (path === '/') return this.file;
    try {
      // h5wasm throws or returns null for a missing object or parent.
      const o = this.file.get(path);
      return o == null ? null : o;
    } catch (e) {
      return null;
    }
  }

  exists(path) { return this.node(path) !== null; }
  isGroup(path) { return this.node(path) instanceof this.lib.Group; }

  children(group) {
    return this.guard(() => {
      const g = this.node(group);
      if (!(g instanceof this.lib.Group)) throw new Error('is not a group');
      return byteSorted(g.keys());
    });
  }

  datasetInfo(path) {
    return this.guard(() => {
      const d = this.node(path);
      if (!(d instanceof this.lib.Dataset)) throw new Error('is not a dataset');
      const m = d.metadata;
      let type = 'other';
      if (m.type === 0) type = m.signed ? 'int' : 'uint';
      else if (m.type === 1) type = 'float';
      else if (m.type === 3) type = 'string';
      else if (m.type === 8 && m.size === 1) type = 'bool';  // h5py's bool: enum {FALSE, TRUE} of int8
      const shape = (m.shape || []).map(Number);
      return { type, width: m.vlen ? 0 : m.size, variableString: type === 'string' && !!m.vlen, shape,
        storedBytes: this.unstored(d, shape, m.vlen ? 0 : m.size) ? 0 : -1 };
    });
  }

  // h5wasm does not give HDF5's storage size, which core checks before allocating for a dataset
  // (h5_require_stored). Its stand-in: a dataset whose declared bytes the whole file cannot hold,
  // stored raw or deflated at zlib's best ratio (1032:1), was never (fully) written, like the
  // crafted or interrupted files that declare 10^8 values in a few KB. Other filters: unknown.
  unstored(d, shape, width) {
    if (!width || !shape.length) return false;
    const ids = (d.filters || []).map((f) => f.id);
    const ratio = ids.every((id) => id === 2 || id === 3) ? 1 : ids.every((id) => id >= 1 && id <= 3) ? 1100 : 0;
    if (!ratio) return false;
    const bytes = shape.reduce((a, n) => a * n, width);
    return bytes > this.size * ratio;
  }

  // rows [first, first + count) along the first dimension, every other dimension whole
  slice(path, first, count) {
    const d = this.node(path);
    if (!(d instanceof this.lib.Dataset)) throw new Error('is not a dataset');
    // h5wasm returns garbage instead of failing when a filter is missing: refuse first.
    for (const f of d.filters || []) {
      if (!H5_FILTERS.has(f.id))
        throw new Error(`is compressed with the HDF5 filter ${f.name || f.id}, which this reader cannot decode; ` +
          'save the file again with gzip compression');
    }
    const shape = (d.shape || []).map(Number);
    if (!shape.length) return d.value;  // scalar: one row
    return d.slice([[first, first + count], ...shape.slice(1).map((n) => [0, n])]);
  }

  readNumbers(path, first, count) {
    return this.guard(() => {
      const v = this.slice(path, first, count);
      if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return Float64Array.of(Number(v));
      if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v, Number);
      if (ArrayBuffer.isView(v)) return v;
      if (Array.isArray(v)) return Float64Array.from(v, Number);
      throw new Error('does not hold numbers');
    });
  }

  readStringsJoined(path, first, count) {
    return this.guard(() => {
      const v = this.slice(path, first, count);
      const list = typeof v === 'string' ? [v] : Array.from(v, (x) => (x == null ? '' : String(x)));
      return list.join('\x1f');
    });
  }

  attrValue(path, name) {
    const o = this.node(path);
    if (!o || !o.attrs || !(name in o.attrs)) throw new Error(`has no attribute ${name}`);
    return o.attrs[name].value;
  }

  hasAttribute(path, name) {
    const o = this.node(path);
    try { return !!(o && o.attrs && name in o.attrs); } catch (e) { return false; }
  }

  stringAttribute(path, name) {
    return this.guard(() => {
      const v = this.attrValue(path, name);
      if (typeof v === 'string') return [v];
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
      if ((ArrayBuffer.isView(v) || Array.isArray(v)) && v.length === 0) return [];
      throw new Error(`attribute ${name} is not text`);
    });
  }

  intAttribute(path, name) {
    return this.guard(() => {
      const v = this.attrValue(path, name);
      const list = typeof v === 'number' || typeof v === 'bigint' ? [v] : Array.from(v);
      const out = list.map(Number);
      if (!out.every((x) => Number.isInteger(x))) throw new Error(`attribute ${name} is not integral`);
      return out;
    });
  }
}

// HDF5's name order (byte-wise on UTF-8), which JS's default sort matches only for ASCII.
function byteSorted(names) {
  const enc = new TextEncoder();
  const keyed = names.map((n) => [enc.encode(n), n]);
  keyed.sort(([a], [b]) => {
    for (let i = 0; i < Math.min(a.length, b.length); ++i) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  });
  return keyed.map(([, n]) => n);
}
