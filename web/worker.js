// The Web Worker that does all heavy work, so the page never freezes. It owns the WebAssembly
// module (threaded when the page is cross-origin isolated, single-threaded otherwise; same
// results) and one Session holding the loaded matrices between requests.
//
// Protocol (see worker-client.js for the page side):
//   page -> worker  {id, op, args}                       one request at a time
//   worker -> page  {id, type: 'progress', stage, fraction, message}
//                   {id, type: 'result', value}          value may carry transferred typed arrays
//                   {id, type: 'error', name, message}   name: InputError | Cancelled | Error
//   page -> worker  {op: 'cancel'}                       also Atomics.store(cancelFlag, 0, 1), and with
//                   the threaded module a store of 1 into the Session's cancel byte in the shared memory
'use strict';

const BASE = new URL('./', self.location.href).href;
importScripts(BASE + 'worker/util.js', BASE + 'worker/h5.js');

let M = null;          // the module
let session = null;    // its Session
let cancelFlag = null; // Int32Array over a SharedArrayBuffer from the page, when available
let cancelMessage = false;
let model = null;      // the LoadedModel in use, or null
let shippedModels = []; // file names under gen/models/ (web/gen/models.json)

function makeCtl(id) {
  let lastStage = '', lastTime = 0;
  return {
    cancelled: () => cancelMessage || (cancelFlag !== null && Atomics.load(cancelFlag, 0) !== 0),
    progress(stage, fraction, message) {
      const now = performance.now();
      if (stage === lastStage && fraction < 1 && now - lastTime < 50) return;
      lastStage = stage; lastTime = now;
      postMessage({ id, type: 'progress', stage, fraction, message });
    },
  };
}

// The module's progress callback: forwards events; returning true asks C++ to stop.
function moduleProgress(ctl) {
  return (e) => { ctl.progress(e.stage, e.fraction, e.message); return ctl.cancelled(); };
}

function detectKind(files) {
  const names = files.map((f) => baseName(f.name));
  if (names.some((n) => /\.mtx$/.test(n))) return 'tenx';
  if (names.some((n) => /(^|[^a-z])(features|genes|barcodes)\.tsv$/.test(n))) return 'tenx';
  if (files.length === 1 && /\.(h5ad|h5|hdf5|loom)$/.test(names[0])) return 'hdf5';
  if (files.length === 1 && /\.(csv|tsv|txt)$/.test(names[0])) return 'csv';
  // One file of no known kind: core says why, in the CLI's words (an R data file, ...).
  if (files.length === 1 && M && M.unreadableReason) throw inputError(`${files[0].name}: ${M.unreadableReason(files[0].name)}`);
  throw inputError(`cannot tell the format of ${files.map((f) => f.name).join(', ')}: expected a 10x folder ` +
    '(matrix.mtx, features.tsv, barcodes.tsv), an .h5ad, a 10x .h5 or a CSV/TSV table');
}

// Runs fn with module ByteBuffers for the given files, deleting them afterwards.
async function withBuffers(files, ctl, fn) {
  const bufs = [];
  try {
    for (const f of files) bufs.push(await fileToBuffer(M, f, ctl));
    checkCancel(ctl);
    return fn(...bufs);
  } finally {
    for (const b of bufs) b.delete();
  }
}

// Streams a 10x matrix through the module cell by cell (the text is never whole in memory).
// Returns the matrix info, or null when the stream rejected the input (the caller reads it whole).
async function readTenxStreaming(role, f, names, ctl) {
  const stream = await withBuffers([f.features, f.barcodes], ctl, (fe, b) => {
    try {
      return M.openTenxStream(fe, b, names);
    } catch (e) {
      return null;
    }
  });
  if (!stream) return null;
  try {
    for await (const chunk of fileChunks(f.matrix, ctl, 'read')) stream.feed(chunk);
    return stream.finish(session, role);
  } catch (e) {
    if (e.name === 'InputError') return null;
    throw e;
  } finally {
    stream.delete();
  }
}

const ops = {
  async init({ cancelBuffer, threads }) {
    cancelFlag = cancelBuffer ? new Int32Array(cancelBuffer) : null;
    const threaded = self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
    const name = threaded ? 'scpt-mt' : 'scpt';
    importScripts(`${BASE}gen/${name}.js`);
    const poolSize = Math.max(1, Math.min(8, threads || navigator.hardwareConcurrency || 2));
    M = await self.createScpt({
      locateFile: (p) => `${BASE}gen/${p}`,
      mainScriptUrlOrBlob: `${BASE}gen/${name}.js`,
      poolSize,
      print: (s) => console.log(s), printErr: (s) => console.warn(s),
    });
    session = new M.Session();
    if (threaded) session.setThreads(poolSize);
    const r = await fetch(`${BASE}gen/models.json`).catch(() => null);
    shippedModels = r && r.ok ? await r.json() : [];
    // With the threaded module the memory is shared: the page can set the session's cancel flag
    // directly, which reaches C++ work running on pthreads (their progress never reaches JS).
    const shared = threaded && typeof SharedArrayBuffer === 'function' && M.wasmMemory && M.wasmMemory.buffer instanceof SharedArrayBuffer;
    return {
      ...M.buildInfo(), threadsUsed: session.threads(), module: name, models: shippedModels,
      modelSupport: typeof M.readModel === 'function',
      cancelMemory: shared ? M.wasmMemory.buffer : null, cancelAddress: shared ? session.cancelAddress() : 0,
    };
  },

  // Loads a matrix for a role ("reference" | "query") from the user's files with core's readers.
  // A bad file leaves the role's previous matrix in place (the session only takes a matrix that
  // read and validated).
  async load({ role, files }, ctl) {
    if (!files || !files.length) throw inputError('no files given');
    const kind = detectKind(files);
    const progress = moduleProgress(ctl);
    ctl.progress('read', 0, `reading ${files.map((f) => f.name).join(', ')}`);
    let info;
    if (kind === 'tenx') {
      const f = findTenxFiles(files);
      if (f.matrix && (!f.features || !f.barcodes) && files.length === 1) {
        info = await withBuffers([f.matrix], ctl, (b) => session.readMatrixMarket(role, b, f.matrix.name, progress));
      } else {
        const missing = [];
        if (!f.matrix) missing.push('matrix.mtx');
        if (!f.features) missing.push('features.tsv (or genes.tsv)');
        if (!f.barcodes) missing.push('barcodes.tsv');
        if (missing.length)
          throw inputError(`10x folder: ${missing.join(', ')} missing; select the three files of the folder together ` +
            `(got ${files.map((x) => x.name).join(', ')})`);
        const names = { matrix: f.matrix.name, features: f.features.name, barcodes: f.barcodes.name };
        info = await readTenxStreaming(role, f, names, ctl);
        // Files the stream cannot take (or rejects) are read whole: core's verdict, as natively.
        if (!info) {
          info = await withBuffers([f.matrix, f.features, f.barcodes], ctl, (m, fe, b) =>
            session.readTenxFolder(role, m, fe, b, names, progress));
        }
        // A folder's obs.tsv and labels.tsv become metadata columns, as natively.
        const obs = files.find((x) => baseName(x.name) === 'obs.tsv');
        const labels = files.find((x) => baseName(x.name) === 'labels.tsv');
        if (obs || labels) {
          const extra = [obs, labels].filter(Boolean);
          await withBuffers(extra, ctl, (...bufs) => session.attachFolderMetadata(role, obs ? bufs[0] : null, obs ? obs.name : '',
            labels ? bufs[bufs.length - 1] : null, labels ? labels.name : ''));
          info = { ...session.matrixInfo(role), format: info.format };
        }
      }
    } else if (kind === 'csv') {
      info = await withBuffers([files[0]], ctl, (b) => session.readDelimited(role, b, files[0].name, progress));
    } else {
      await checkHdf5Signature(files[0]);
      await loadH5wasm(BASE);
      const src = new H5Source(files[0]);
      try {
        info = session.readHdf5(role, src, {}, progress);
        // Scaled X (z-scores) cannot be annotated; AnnData keeps the unscaled values in raw.
        if (info.format === 'h5ad' && info.valueKind === 'scaled' && src.exists('/raw/X')) {
          info = session.readHdf5(role, src, { useRaw: true }, progress);
          info.notes = [`${files[0].name}: X holds scaled values (z-scores), so raw/X was read instead`, ...info.notes];
        }
      } finally {
        src.close();
      }
    }
    return { ...info, files: files.map((f) => f.name) };
  },

  // Attaches labels from a barcode<TAB>label file to the reference as a metadata column.
  async labels({ role, file, column = '' }, ctl) {
    const r = await withBuffers([file], ctl, (b) => session.attachLabels(role, b, file.name, column));
    return { ...r, info: session.matrixInfo(role) };
  },

  // Reads a model file (the user's File, or the name of a shipped one) and makes it the one in use.
  async loadModel({ file, shipped }, ctl) {
    if (typeof M.readModel !== 'function') throw inputError('this build of the app cannot read model files yet');
    let f = file;
    if (!f) {
      const r = await fetch(`${BASE}gen/models/${encodeURIComponent(shipped)}`);
      if (!r.ok) throw inputError(`the model ${shipped} is missing from this installation`);
      f = new File([await r.blob()], shipped);
    }
    const next = await withBuffers([f], ctl, (b) => M.readModel(b, f.name));
    if (model) model.delete();
    model = next;
    return model.info();
  },

  async info({ role }) { return session.matrixInfo(role); },
  async drop({ role }) { session.dropMatrix(role); return true; },

  // The results view's data. Until core's annotate flow lands this is a PREVIEW: the query's cells
  // on core's expression map (PCA + UMAP), coloured by their own metadata columns; no predictions.
  async annotate({ query, colorBy }, ctl) {
    if (!session.hasMatrix(query)) throw inputError('load the query cells first (step 3)');
    const info = session.matrixInfo(query);
    // With a model: the encoder's embedding and its map (the classifiers come with core's annotate
    // flow). Without: a map from the expression alone.
    if (!model && shippedModels.length && typeof M.readModel === 'function') await ops.loadModel({ shipped: shippedModels[0] }, ctl);
    let xy, mode = 'preview', encoding = null;
    if (model) {
      encoding = M.encodeCells(session, query, model, moduleProgress(ctl));
      xy = session.embeddingMap(query, {}, moduleProgress(ctl));
      mode = 'embedding';
    } else {
      xy = session.expressionMap(query, {}, moduleProgress(ctl));
    }
    const stats = session.matrixCellStats(query);
    // The query's own categorical columns (cluster ids, sample, author labels) as map colourings.
    const columns = [];
    for (const c of info.obs) {
      if (c.numeric || c.levels < 1 || c.levels > 500 || columns.length >= 16) continue;
      const o = session.matrixObs(query, c.name);
      columns.push({ name: c.name, levels: o.levels, codes: o.codes });
    }
    if (colorBy) columns.sort((a, b) => (b.name === colorBy) - (a.name === colorBy));
    return {
      value: {
        mode, encoding, model: model ? model.info() : null, cells: info.cells, genes: info.genes, valueKind: info.valueKind,
        barcodes: session.matrixBarcodes(query).split('\n'), xy, columns, detected: stats.detected, total: stats.total,
      },
      transfer: [xy.buffer, stats.detected.buffer, stats.total.buffer, ...columns.map((c) => c.codes.buffer)],
    };
  },

  async bench({ role, hidden = 200, reps = 3 }, ctl) {
    return session.benchEncodeKernel(role, hidden, reps, moduleProgress(ctl));
  },
};

// Requests run one after another even though handlers are async (a request arriving while init
// awaits the module must wait for it); 'cancel' is handled at once.
let chain = Promise.resolve();
self.onmessage = (ev) => {
  if (ev.data.op === 'cancel') { cancelMessage = true; return; }
  chain = chain.then(() => handle(ev.data));
};

async function handle({ id, op, args }) {
  cancelMessage = false;
  if (cancelFlag) Atomics.store(cancelFlag, 0, 0);
  const ctl = makeCtl(id);
  try {
    if (!ops[op]) throw new Error(`unknown request ${op}`);
    if (op !== 'init' && !session) throw new Error('the engine is not ready');
    const r = await ops[op](args || {}, ctl);
    const packed = r && typeof r === 'object' && 'transfer' in r && 'value' in r ? r : { value: r, transfer: [] };
    postMessage({ id, type: 'result', value: packed.value }, packed.transfer);
  } catch (e) {
    const known = e instanceof Error;
    postMessage({
      id, type: 'error',
      name: known ? e.name : 'Error',
      message: known ? e.message : `internal error (${String(e)})`,
    });
  }
}
