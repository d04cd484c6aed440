// The worker's side of the page's teaching view (web/ui/teaching.js): two requests, each core's
// work through the module, on the cells already loaded in the session.
//   teachMaps     {role, seed, typesColumn}: the map of the cells' expression (PCA) and of the
//                 pre-trained encoder's output (core's layout both), and the three K-means
//                 pseudo-label sets pre-training makes of them (phase 1 on the expression, phase 2
//                 on the encoder's output; core/train/pseudo_labels.hpp).
//   teachFinetune {reference, query, labelColumn, truthColumn, seed, unknown, names}: core's
//                 annotate flow with `full` fine-tuning (the paper's), every epoch posted as it
//                 ends ({type: 'progress', stage: 'finetune', epoch: {epoch, loss, trainAccuracy,
//                 valAccuracy}}, never throttled), then the map of the fine-tuned encoder's output,
//                 the confusion matrix against the known types and why each Unassigned cell is.
// `env()` gives worker.js's current state: {session, model, ensureModel, moduleProgress}.
import { M } from './module.js';
import { inputError, checkCancel } from './util.js';

export function teachingOps(env) {
  // Known types of `role`'s cells from a metadata column, or null.
  function typesOf(session, role, column) {
    if (!column) return null;
    const info = session.matrixInfo(role);
    if (!info.obs.some((c) => c.name === column && !c.numeric)) return null;
    const o = session.matrixObs(role, column);
    return { name: column, levels: o.levels, codes: o.codes };
  }

  return {
    async teachMaps({ role, seed = 0, typesColumn = '' }, ctl) {
      const e = env();
      const { session } = e;
      if (!session.hasMatrix(role)) throw inputError('load your cells first (step 1 or 3)');
      await e.ensureModel(ctl);
      const model = env().model;
      const progress = e.moduleProgress(ctl);
      ctl.progress('map', 0, 'the map of the expression');
      const pcaXy = session.expressionMap(role, { seed }, progress);
      checkCancel(ctl);
      const phase1 = M.teachingPseudoLabels(session, role, { seed, source: 'expression' }, progress);
      let encXy = null, phase2 = null, encoder = null, encoderNote = '';
      if (model) {
        try {
          encoder = M.encodeCells(session, role, model, progress);
          checkCancel(ctl);
          encXy = session.embeddingMap(role, { seed }, progress);
          phase2 = M.teachingPseudoLabels(session, role, { seed, source: 'encoder' }, progress);
        } catch (err) {
          if (err.name !== 'InputError') throw err;
          encoderNote = err.message;  // the model does not fit these genes: no encoder map
          encXy = null;
        }
      } else {
        encoderNote = 'There is no pre-trained model in this installation, so there is no encoder to show.';
      }
      const value = {
        role, cells: phase1.cells, pcaXy, encXy, phase1, phase2, encoderNote,
        encoder: encoder && { matched: encoder.matched, vocabulary: encoder.vocabulary, summary: encoder.summary, dims: encoder.dims },
        model: model ? model.info() : null, types: typesOf(session, role, typesColumn),
      };
      const transfer = [pcaXy.buffer, ...phase1.labels.map((l) => l.buffer)];
      if (encXy) transfer.push(encXy.buffer);
      if (phase2) transfer.push(...phase2.labels.map((l) => l.buffer));
      return { value, transfer };
    },

    async teachFinetune({ reference = 'reference', query = 'query', labelColumn = '', truthColumn = '', seed = 0,
      unknown = 'query-typicality', names = {} }, ctl) {
      const e = env();
      const { session } = e;
      if (!session.hasMatrix(reference) || !labelColumn)
        throw inputError('fine-tuning needs a reference with labelled cells (steps 1 and 2)');
      await e.ensureModel(ctl);
      const model = env().model;
      const hasQuery = query && session.hasMatrix(query);
      const target = hasQuery ? query : reference;
      const a = M.annotate(session, {
        reference, query: hasQuery ? query : '', labelColumn, settings: { seed, finetune: 'full', unknown },
        names: { reference: names.reference || 'the reference', query: names.query || 'your cells',
          model: model ? model.info().name : 'the model' },
        onEpoch: (ep) => {
          ctl.post({ type: 'progress', stage: 'finetune', fraction: 0, value: ep.valAccuracy,
            message: `epoch ${ep.epoch}: training accuracy ${(100 * ep.trainAccuracy).toFixed(1)}%, validation ${(100 * ep.valAccuracy).toFixed(1)}%`,
            epoch: ep });
          return ctl.cancelled();
        },
      }, model, e.moduleProgress(ctl));
      // The view's own run: its outcome never replaces the results above (their table stays theirs).
      let afterXy, truth = null, truthCodes = null;
      try {
        checkCancel(ctl);
        ctl.progress('map', 0, 'the map of the fine-tuned encoder');
        afterXy = session.outcomeMap(a.outcome, { seed }, e.moduleProgress(ctl));
        const known = typesOf(session, target, target === reference ? '' : truthColumn);
        if (known) {
          truthCodes = new Int32Array(a.cells);
          for (let i = 0; i < a.cells; ++i) truthCodes[i] = known.codes[a.rows[i]];
          truth = M.scoreTruth(session, a.outcome, target, known.name);
          truth.levels = known.levels;
        }
      } finally {
        M.discardOutcome(session, a.outcome);
      }
      const f = a.fit;
      const reasons = M.unassignedReasons(a.label, a.confidence, a.typicality,
        { unknown: f.unknown, alpha: f.alpha, minProbability: f.minProbability });
      const value = {
        target, cells: a.cells, rows: a.rows, barcodes: a.barcodes.split('\n'), classes: a.classes, label: a.label, best: a.best,
        confidence: a.confidence, typicality: a.typicality, afterXy, reasons, truth, truthCodes,
        epochs: f.epochs, fit: { bestEpoch: f.bestEpoch, bestValAccuracy: f.bestValAccuracy, trainCells: f.trainCells,
          valCells: f.valCells, hasModel: f.hasModel, mode: f.mode, description: f.description, unknown: f.unknown,
          alpha: f.alpha, minProbability: f.minProbability },
        warnings: a.warnings,
      };
      return { value, transfer: [afterXy.buffer] };
    },
  };
}
