// The Web Worker that does all heavy work, so the page never freezes. It owns the WebAssembly
// module (threaded when the page is cross-origin isolated, single-threaded otherwise; same
// results) and one Session holding the loaded matrices between requests.
//
// Protocol (see worker-client.js for the page side):
//   page -> worker  {id, op, args}                       one request at a time
//   worker -> page  {id, type: 'progress', stage, fraction, message}
//                   {id, type: 'result', value}          value may carry transferred typed arrays
//                   {id, type: 'error', name, message}   name: InputError | Cancelled | Error
//   page -> worker  {op: 'cancel'}                       also Atomics.store(cancelFlag, 0, 1)
'use strict';

const BASE = new URL('./', self.location.href).href;
importScripts(BASE + 'worker/util.js', BASE + 'worker/tenx.js', BASE + 'worker/tables.js', BASE + 'worker/h5.js');

let M = null;          // the module
let session = null;    // its Session
let cancelFlag = null; // Int32Array over a SharedArrayBuffer from the page, when available
let cancelMessage = false;

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
  throw inputError(`cannot tell the format of ${files.map((f) => f.name).join(', ')}: expected a 10x folder ` +
    '(matrix.mtx, features.tsv, barcodes.tsv), an .h5ad, a 10x .h5 or a CSV/TSV table');
}

function putObs(role, obs) {
  for (const c of obs) {
    if (c.numbers) session.matrixSetObs(role, c.name, undefined, c.numbers);
    else session.matrixSetObs(role, c.name, c.levels.join('\n'), c.codes);
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
    return { ...M.buildInfo(), threadsUsed: session.threads(), module: name };
  },

  // Loads a matrix for a role ("reference" | "query") from the user's files. A bad file leaves the
  // role's previous matrix in place (the session only takes a matrix that read and validated).
  async load({ role, files }, ctl) {
    if (!files || !files.length) throw inputError('no files given');
    const kind = detectKind(files);
    let notes = [], obs = [];
    ctl.progress('read', 0, `reading ${files.map((f) => f.name).join(', ')}`);
    if (kind === 'tenx') {
      const spec = await readTenx(files, ctl);
      ctl.progress('read', 1, 'building the matrix');
      session.matrixFromCsr(role, spec);
    } else if (kind === 'csv') {
      const r = await readCsv(files[0], ctl);
      notes = r.notes;
      session.matrixFromCsr(role, r.spec);
    } else {
      await checkHdf5Signature(files[0]);
      await loadH5wasm(BASE);
      const src = new H5Source(files[0]);
      try {
        const r = readHdf5(src, ctl);
        notes = r.notes; obs = r.obs;
        checkCancel(ctl);
        session.matrixFromCsr(role, r.spec);
        putObs(role, obs);
      } finally {
        src.close();
      }
    }
    const info = session.matrixInfo(role);
    return { ...info, notes: notes.concat(info.notes), format: kind, files: files.map((f) => f.name) };
  },

  // Attaches labels from a barcode<TAB>label file to the reference as a metadata column.
  async labels({ role, file }, ctl) {
    const text = await fileText(file, ctl, 'read');
    const barcodes = session.matrixBarcodes(role).split('\n');
    const r = parseLabels(text, file.name, barcodes);
    const column = `labels: ${file.name}`;
    session.matrixSetObs(role, column, r.levels.join('\n'), r.codes);
    return { column, matched: r.matched, lines: r.lines, cells: barcodes.length, classes: r.levels.length, info: session.matrixInfo(role) };
  },

  async info({ role }) { return session.matrixInfo(role); },
  async drop({ role }) { session.dropMatrix(role); return true; },

  // The results view's data. Until core's annotate flow lands this is a PREVIEW: the query's cells
  // on a quick PCA map, coloured by a metadata column when one is chosen; no predictions.
  async annotate({ query, colorBy }, ctl) {
    if (!session.hasMatrix(query)) throw inputError('load the query cells first (step 3)');
    const info = session.matrixInfo(query);
    const xy = session.previewMap(query, { log1p: info.valueKind === 'counts' || info.max > 50 }, moduleProgress(ctl));
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
        mode: 'preview', cells: info.cells, genes: info.genes, valueKind: info.valueKind,
        barcodes: session.matrixBarcodes(query).split('\n'), xy, columns, detected: stats.detected, total: stats.total,
      },
      transfer: [xy.buffer, stats.detected.buffer, stats.total.buffer, ...columns.map((c) => c.codes.buffer)],
    };
  },

  async bench({ role, hidden = 200, reps = 3 }, ctl) {
    return session.benchEncodeKernel(role, hidden, reps, moduleProgress(ctl));
  },
};

self.onmessage = async (ev) => {
  const { id, op, args } = ev.data;
  if (op === 'cancel') { cancelMessage = true; return; }
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
};
