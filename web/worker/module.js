// The WebAssembly module of a worker (threaded when the page is cross-origin isolated,
// single-threaded otherwise; same results), loaded once, and `M`, the module for every worker
// file that imports it (a live binding: null until loadModule resolves).
//
// How it loads in a module worker, which has no importScripts: tools/wasm-build writes beside
// each classic MODULARIZE glue (gen/scpt.js, gen/scpt-mt.js) an ES-module copy
// (gen/<name>.esm.js: the same text + `export default createScpt`), imported here. The classic
// file stays for the threaded module's pthread workers: emscripten's gen/scpt-mt.worker.js is a
// classic worker that importScripts `mainScriptUrlOrBlob`. No eval and no blob: script either,
// which the page's CSP forbids.
const GEN = new URL('../gen/', import.meta.url).href;

export let M = null;

// Loads the module: {M, name, threaded, poolSize}. `threads` caps the pthread pool (default: the
// machine's cores, at most 8). `dev`: the benchmark pages' build (gen/dev/<name>-dev: the same +
// wasm/dev/'s entry points, built by tools/wasm-build --bench, never shipped).
export async function loadModule({ threads, dev = false } = {}) {
  const threaded = self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  const name = (threaded ? 'scpt-mt' : 'scpt') + (dev ? '-dev' : '');
  const dir = dev ? `${GEN}dev/` : GEN;
  const { default: create } = await import(`${dir}${name}.esm.js`);
  const poolSize = Math.max(1, Math.min(8, threads || navigator.hardwareConcurrency || 2));
  M = await create({
    locateFile: (p) => `${dir}${p}`,
    mainScriptUrlOrBlob: `${dir}${name}.js`,
    poolSize,
    print: (s) => console.log(s), printErr: (s) => console.warn(s),
  });
  return { M, name, threaded, poolSize };
}
