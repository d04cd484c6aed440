// The Web Worker that does all heavy work, so the page never freezes. It owns the WebAssembly
// module (threaded when the page is cross-origin isolated, single-threaded otherwise; same
// results) and one Session holding the loaded matrices between requests.
//
// Protocol (see worker-client.js for the page side):
//   page -> worker  {id, op, args}                       one request at a time
//   worker -> page  {id, type: 'progress', stage, fraction, message}
//                   {id, type: 'watch', file}            libhdf5 (h5wasm) reads `file` from now on; file
//                                                        null: it is done. A crafted file can make libhdf5
//                                                        loop forever, so the page watches for silence
//                   {id, type: 'result', value}          value may carry transferred typed arrays
//                   {id, type: 'error', name, message}   name: InputError | Cancelled | Error
//   page -> worker  {op: 'cancel'}                       also Atomics.store(cancelFlag, 0, 1), and with
//                   the threaded module a store of 1 into the Session's cancel byte in the shared memory
// An ES module worker (worker-client.js starts it with {type: 'module'}); the module and how it
// loads: worker/module.js. Every Embind object it makes is own()ed (worker/handle.js).
import { M, loadModule } from './worker/module.js';
import { own } from './worker/handle.js';
import { inputError, checkCancel, baseName, fileChunks, fileToBuffer, findTenxFiles } from './worker/util.js';
import { loadH5wasm, checkHdf5Signature, H5Source } from './worker/h5.js';
import { tenxArchiveFiles } from './worker/archive.js';
import { teachingOps } from './worker/teaching.js';

const GEN = new URL('./gen/', import.meta.url).href;

let session = null;    // the module's Session (own()ed)
let cancelFlag = null; // Int32Array over a SharedArrayBuffer from the page, when available
let cancelMessage = false;
let model = null;      // the Model in use (own()ed), or null
let modelChosen = false; // the user gave it (then it must fit the data, as `scpt annotate --model`)
let shippedModels = []; // file names under gen/models/ (web/gen/models.json)

function makeCtl(id) {
  let lastStage = '', lastTime = 0;
  return {
    cancelled: () => cancelMessage || (cancelFlag !== null && Atomics.load(cancelFlag, 0) !== 0),
    watch(file) { postMessage({ id, type: 'watch', file }); },
    post(msg) { postMessage({ id, ...msg }); },  // unthrottled (the teaching view's epochs)
    progress(stage, fraction, message, value) {
      const now = performance.now();
      if (stage === lastStage && fraction < 1 && now - lastTime < 50) return;
      lastStage = stage; lastTime = now;
      postMessage({ id, type: 'progress', stage, fraction, message, value });
    },
  };
}

// The module's progress callback: forwards events; returning true asks C++ to stop.
function moduleProgress(ctl) {
  return (e) => { ctl.progress(e.stage, e.fraction, e.message, e.value); return ctl.cancelled(); };
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

// Runs fn with module ByteBuffers for the given files, freeing them afterwards.
async function withBuffers(files, ctl, fn) {
  const bufs = [];
  try {
    for (const f of files) bufs.push(await fileToBuffer(f, ctl));
    checkCancel(ctl);
    return fn(...bufs);
  } finally {
    for (const b of bufs) b.free();
  }
}

// Streams a 10x matrix through the module cell by cell (the text is never whole in memory).
// Returns the matrix info, or null when the stream rejected the input (the caller reads it whole).
async function readTenxStreaming(role, f, names, ctl) {
  const stream = await withBuffers([f.features, f.barcodes], ctl, (fe, b) => {
    try {
      return own(M.openTenxStream(fe, b, names));
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
    stream.free();
  }
}

const ops = {
  async init({ cancelBuffer, threads }) {
    cancelFlag = cancelBuffer ? new Int32Array(cancelBuffer) : null;
    const { name, threaded, poolSize } = await loadModule({ threads });
    session = own(new M.Session());
    if (threaded) session.setThreads(poolSize);
    const r = await fetch(`${GEN}models.json`).catch(() => null);
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
  async load({ role, files: given }, ctl) {
    if (!given || !given.length) throw inputError('no files given');
    // A .tar[.gz] or .zip of a 10x folder: the three files of the matrix core picks (worker/archive.js).
    const archive = given.length === 1 ? await tenxArchiveFiles(given[0], ctl) : null;
    const files = archive ? archive.files : given;
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
      await loadH5wasm();
      const src = new H5Source(files[0]);
      ctl.watch(files[0].name);
      try {
        info = session.readHdf5(role, src, {}, progress);
        // Scaled X (z-scores) cannot be annotated; AnnData keeps the unscaled values in raw.
        if (info.format === 'h5ad' && info.valueKind === 'scaled' && src.exists('/raw/X')) {
          info = session.readHdf5(role, src, { useRaw: true }, progress);
          info.notes = [`${files[0].name}: X holds scaled values (z-scores), so raw/X was read instead`, ...info.notes];
        }
      } finally {
        ctl.watch(null);
        src.close();
      }
    }
    if (archive && archive.note) info = { ...info, notes: [archive.note, ...(info.notes || [])] };
    return { ...info, files: given.map((f) => f.name) };
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
      const r = await fetch(`${GEN}models/${encodeURIComponent(shipped)}`);
      if (!r.ok) throw inputError(`the model ${shipped} is missing from this installation`);
      f = new File([await r.blob()], shipped);
    }
    const next = await withBuffers([f], ctl, (b) => own(M.readModel(b, f.name)));
    if (model) model.free();
    model = next;
    modelChosen = !!file;
    return model.info();
  },

  // The model's reference classifiers and how the genes of `role` cover each:
  // [{name, description, genes, matched}] (empty without a model or classifiers).
  async classifiers({ role }, ctl) {
    await ensureModel(ctl);
    if (!model || !session.hasMatrix(role) || typeof M.classifierFit !== 'function') return [];
    return M.classifierFit(session, role, model);
  },

  async info({ role }) { return session.matrixInfo(role); },
  async drop({ role }) { session.dropMatrix(role); return true; },

  // The results: core's annotate flow (core/app/annotate_flow.hpp, the one `scpt annotate` runs:
  // same settings, same seed, same labels): labels -> fine-tune; else a classifier of the model;
  // else K-means groups. Then the map of the labelled cells' embedding, and what the page shows
  // next to it.
  //   reference/query: matrix names ('' = none); labelColumn: the reference's types ('' = none);
  //   truthColumn: known types of the predicted cells, to score against (optional);
  //   settings: `scpt annotate`'s options by the names of its flags (seed, finetune, unknown,
  //   probabilities, no-pretrained, ...), checked by core; classifier: one of the model's.
  async annotate({ reference = 'reference', query = 'query', labelColumn = '', truthColumn = '', settings = {},
    names = {}, classifier = '' }, ctl) {
    const hasRef = reference && session.hasMatrix(reference), hasQuery = query && session.hasMatrix(query);
    if (!hasRef && !hasQuery) throw inputError('load your cells first (step 1 or 3)');
    const noPretrained = settings['no-pretrained'] === true;
    if (!noPretrained) await ensureModel(ctl);
    const useModel = noPretrained ? null : model;
    const notices = [];
    const annotating = hasRef && labelColumn;
    if (!useModel && annotating) notices.push(noPretrained ? 'Trained without pre-training, as asked.'
      : 'No pre-trained model in this installation: the network is trained without pre-training (scPretrain\'s baseline).');
    if (!annotating && classifier && !useModel) throw inputError('a reference classifier needs the model that carries it: untick "no pre-training"');
    const target = hasQuery ? query : reference;
    let a;
    try {
      a = M.annotate(session, {
        reference: hasRef ? reference : '', query: hasQuery ? query : '', labelColumn: annotating ? labelColumn : '',
        classifier: annotating ? '' : classifier, settings, modelNamed: modelChosen,
        names: { reference: names.reference || 'the reference', query: names.query || 'your cells', labels: names.labels,
          model: useModel ? useModel.info().name : 'the model' },
      }, useModel, moduleProgress(ctl));
    } catch (e) {
      if (e.name !== 'InputError' || annotating || !classifier) throw e;
      throw inputError(`The classifier ${classifier} cannot label these cells: ${e.message.replace(/\.$/, '')}. ` +
        'Pick another classifier, or "none" to group the cells by K-means.');
    }
    const r = {
      flow: a.flow, mode: a.flow === 'groups' ? 'cluster' : 'annotate', cells: a.cells, rows: a.rows,
      barcodes: a.barcodes.split('\n'), predicted: { levels: a.classes, codes: a.label }, classes: a.classes,
      best: a.best, confidence: a.flow === 'groups' ? null : a.confidence, typicality: a.typicality,
      probabilities: a.probabilities || null, fit: a.fit || null, warnings: a.warnings, queryGenes: a.queryGenes,
      queryTransform: a.queryTransform, classifier: a.classifier || null, outcome: a.outcome,
      cellLabel: a.cellLabel || null, overCluster: a.overCluster || null,
      embeddingKind: a.groups ? a.groups.embedding : undefined,
    };
    if (a.flow === 'reference' && a.fit.overClusters > 0)
      notices.push(`Majority voting: each cell has the label most cells of its cluster of similar cells were given ` +
        `(${a.fit.overClusters} clusters of your cells); its own label is in the cell_label column of the download.`);
    if (a.flow === 'reference' && !a.fit.hasModel && useModel)
      notices.push('The model did not fit these genes: trained without pre-training (see the warnings).');
    if (a.flow === 'classifier')
      notices.push(`Labelled by the model's reference classifier ${a.classifier.name} (${a.classes.join(', ')}). ` +
        'Cells of types it was not trained on get the closest of its types, or Unassigned.');
    if (a.flow === 'groups') {
      r.warnings = [...a.groups.notes, ...a.warnings];
      if (a.groups.embedding !== 'none')
        notices.push(`No labels given: the cells are grouped into ${a.groups.k} clusters by K-means on ` +
          (a.groups.embedding === 'model' ? 'the model\'s embedding' : 'the principal components of their expression') +
          '. These are groups, not cell types: name them from their marker genes.');
    }
    // The outcome stays pending until the page has it: a step below that fails or is cancelled
    // drops it, and the results on screen keep their own table.
    try {
      checkCancel(ctl);
      ctl.progress('map', 0, 'making the map');
      return finishAnnotate(a, r, { target, reference, labelColumn, truthColumn, notices, useModel, settings }, ctl);
    } catch (e) {
      M.discardOutcome(session, a.outcome);
      throw e;
    }
  },

  // The annotated .h5ad of a result (its `outcome` number, the matrix `target` its cells are of,
  // its map `xy`): what `scpt annotate --out-h5ad` writes, through core's in-memory HDF5 writer.
  // Value: the file's bytes.
  async h5ad({ outcome = 0, target, xy }, ctl) {
    ctl.progress('write', 0, 'writing the .h5ad');
    const bytes = M.annotatedH5ad(session, outcome, target, xy);
    return { value: bytes, transfer: [bytes.buffer] };
  },
};

// The rest of an annotation once core has labelled the cells: the map of their embedding, their
// metadata columns as colourings, the score against known types; commits the outcome.
function finishAnnotate(a, r, { target, reference, labelColumn, truthColumn, notices, useModel, settings }, ctl) {
  const xy = session.outcomeMap(a.outcome, { seed: Number(settings.seed) || 0 }, moduleProgress(ctl));
  const info = session.matrixInfo(target);
  const stats = session.matrixCellStats(target);
  const pick = (arr) => { const out = new arr.constructor(r.cells); for (let i = 0; i < r.cells; ++i) out[i] = arr[r.rows[i]]; return out; };
  const detected = pick(stats.detected), total = pick(stats.total);
  // The target's own categorical columns (cluster ids, sample, author labels) as map colourings.
  const columns = [];
  let truth = null;
  for (const c of info.obs) {
    if (c.numeric || c.levels < 1) continue;
    const want = c.name === truthColumn;
    if (!want && (c.levels > 500 || columns.length >= 16)) continue;
    const o = session.matrixObs(target, c.name);
    const col = { name: c.name, levels: o.levels, codes: pick(o.codes) };
    if (want) truth = col;
    else if (!(target === reference && c.name === labelColumn)) columns.push(col);
  }
  if (truth) columns.unshift(truth);
  if (truthColumn && !truth) throw inputError(`the column ${truthColumn} is not among the metadata of your cells`);
  const value = {
    ...r, target, xy, columns, detected, total, notices, genes: info.genes, valueKind: info.valueKind,
    valueExplanation: info.valueExplanation, model: useModel ? useModel.info() : null,
    truth: truth ? M.scoreTruth(session, a.outcome, target, truth.name) : null,
  };
  const transfer = [xy.buffer, detected.buffer, total.buffer, r.rows.buffer, r.predicted.codes.buffer,
    ...columns.map((c) => c.codes.buffer)];
  if (r.confidence) transfer.push(r.confidence.buffer);
  if (r.probabilities) transfer.push(r.probabilities.buffer);
  // The predictions table (core's, as `scpt annotate` writes it) travels with the result, so the
  // page can download it even after this worker is replaced.
  value.table = new TextEncoder().encode(M.predictionsTable(session, a.outcome));
  transfer.push(value.table.buffer);
  M.commitOutcome(session, a.outcome);
  return { value, transfer: [...new Set(transfer)] };
}

// The teaching view's requests (worker/teaching.js), on this worker's state.
Object.assign(ops, teachingOps(() => ({ session, model, ensureModel, moduleProgress })));

// The model in use: the one loaded, else the shipped default.scpt (or the first shipped one).
async function ensureModel(ctl) {
  if (!model && shippedModels.length && typeof M.readModel === 'function') {
    const name = shippedModels.includes('default.scpt') ? 'default.scpt' : shippedModels[0];
    await ops.loadModel({ shipped: name }, ctl);
  }
}

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
