// The benchmark's worker: loads the module (threaded when the page is cross-origin isolated),
// reads the reference whole (small), then streams the query's matrix File through
// StreamAnnotate in the pieces the browser reads it in, gunzipped by DecompressionStream.
// Reports seconds per stage and the module's memory size (wasm memory only grows: its final
// size is the peak). An ES module worker, as the app's (module loading: web/worker/module.js;
// Embind objects own()ed: web/worker/handle.js).
import { M, loadModule } from '../worker/module.js';
import { own } from '../worker/handle.js';
import { baseName, fileChunks, fileToBuffer } from '../worker/util.js';

let session = null, threaded = false, moduleName = '';

const pick = (files, re) => files.find((f) => re.test(baseName(f.name)));
async function buffer(file) { return fileToBuffer(file, null); }

async function init() {
  const loaded = await loadModule({ dev: true });  // StreamAnnotate is in the dev build only
  threaded = loaded.threaded;
  moduleName = loaded.name;
  session = own(new M.Session());
  if (threaded) session.setThreads(loaded.poolSize);
  postMessage({ type: 'ready', module: loaded.name, threads: session.threads() });
}

async function run({ ref, query, model: modelFile, keepEmbedding }) {
  const t0 = performance.now();
  const r = { matrix: pick(ref, /matrix\.mtx$/), features: pick(ref, /(features|genes)\.tsv$/), barcodes: pick(ref, /barcodes\.tsv$/), labels: pick(ref, /labels\.tsv$/) };
  const bufs = [await buffer(r.matrix), await buffer(r.features), await buffer(r.barcodes)];
  session.readTenxFolder('reference', bufs[0], bufs[1], bufs[2], { matrix: r.matrix.name, features: r.features.name, barcodes: r.barcodes.name }, undefined);
  bufs.forEach((b) => b.free());
  const lb = await buffer(r.labels);
  session.attachLabels('reference', lb, r.labels.name, '');
  lb.free();
  let model = null;
  if (modelFile) {
    const mb = await buffer(modelFile);
    model = own(M.readModel(mb, modelFile.name));
    mb.free();
  }
  const t1 = performance.now();
  const q = { matrix: pick(query, /matrix\.mtx$/), features: pick(query, /(features|genes)\.tsv$/), barcodes: pick(query, /barcodes\.tsv$/) };
  const fb = await buffer(q.features), bb = await buffer(q.barcodes);
  const a = own(M.openStreamAnnotate(session, 'reference', `labels: ${r.labels.name}`, model, fb, bb,
    { matrix: q.matrix.name, features: q.features.name, barcodes: q.barcodes.name, query: 'query' },
    { keepEmbedding: !!keepEmbedding, onProgress: (e) => { postMessage({ type: 'progress', ...e }); return false; } }));
  fb.free(); bb.free();
  const t2 = performance.now();
  let bytes = 0;
  for await (const chunk of fileChunks(q.matrix, null, 'read')) { a.feed(chunk); bytes += chunk.byteLength; }
  const info = a.finish();
  const t3 = performance.now();
  const labels = a.labels();
  let checksum = 0;
  for (let i = 0; i < labels.length; ++i) checksum = (checksum * 31 + labels[i] + 1) % 1000000007;
  const result = {
    module: moduleName, threads: session.threads(), cells: info.cells, counts: info.counts, classes: info.classes,
    labelsChecksum: checksum, matrixTextBytes: bytes,
    seconds: { reference: (t1 - t0) / 1000, fit: (t2 - t1) / 1000, stream: (t3 - t2) / 1000, total: (t3 - t0) / 1000 },
    wasmMemoryMB: M.HEAP8.length / 1048576,
  };
  if (keepEmbedding) result.embeddingMB = a.embedding().byteLength / 1048576;
  a.free();
  if (model) model.free();
  if (self.performance && performance.measureUserAgentSpecificMemory && self.crossOriginIsolated) {
    try { result.uaMemoryMB = (await performance.measureUserAgentSpecificMemory()).bytes / 1048576; } catch (e) { /* not offered */ }
  }
  return result;
}

const ready = init();
onmessage = async (e) => {
  try {
    await ready;
    postMessage({ type: 'result', value: await run(e.data) });
  } catch (err) {
    postMessage({ type: 'error', name: err.name || 'Error', message: String(err.message || err) });
  }
};
