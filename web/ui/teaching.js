// The teaching view: what scPretrain does, shown on the cells loaded in the page, every figure
// computed in this tab by the same core (the worker's teachMaps / teachFinetune requests,
// web/worker/teaching.js). Five steps, a sentence or two each:
//   1. the three K-means pseudo-label sets pre-training learns from, on the map of the expression;
//   2. the map of the expression (PCA) beside the map of the pre-trained encoder's output;
//   3. the fine-tuning curve (training and validation accuracy per epoch), drawn live;
//   4. the encoder's output before and after fine-tuning;
//   5. the confusion matrix, and the Unassigned cells with the reason of each.
import { ScatterPlot } from './scatter.js';
import { categoryColor } from './palette.js';
import { fillConfusion } from './confusion.js';
import { fmt, pct } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

function el(tag, props = {}, children = []) {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
}

function svg(tag, attrs = {}) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

// Why a cell is Unassigned, in words (names: core's unassigned_reason_name).
function reasonText(name, fit) {
  return {
    atypical: `unlike the reference's cells of its closest type (typicality below ${fit.alpha})`,
    'low-probability': `the classifier was unsure (probability of its closest type below ${fit.minProbability})`,
    'atypical-and-low-probability': 'both unlike its closest type and improbable',
    'majority-vote': 'its over-cluster voted Unassigned',
  }[name] || name;
}

// The same, in a few words (the table of Unassigned cells).
function reasonShort(name, fit) {
  return {
    atypical: `atypical (< ${fit.alpha})`,
    'low-probability': `unsure (< ${fit.minProbability})`,
    'atypical-and-low-probability': 'atypical and unsure',
    'majority-vote': 'voted out',
  }[name] || name;
}

export class TeachingView {
  // root: an empty element; run(label, op, args, {onProgress}) -> value or undefined (the page's
  // status line, progress and cancel); state() -> the page's state; options() -> seed and unknown.
  constructor(root, { run, state, options }) {
    this.root = root;
    this.run = run;
    this.state = state;
    this.options = options;
    this.plots = [];
    this.epochs = [];
    this.build();
  }

  build() {
    const r = this.root;
    r.classList.add('teaching');
    r.setAttribute('aria-label', 'How the method works');
    this.button = el('button', { type: 'button', className: 'primary', textContent: 'Show the method on these cells' });
    this.button.dataset.testid = 'teach-button';
    this.button.addEventListener('click', () => this.start());
    this.hint = el('p', { className: 'hint' });
    r.append(
      el('h2', { textContent: 'How it works: scPretrain, step by step, on these cells' }),
      el('p', { className: 'intro', textContent: 'For a class or for your own understanding: each step of the method, computed here ' +
        'on the cells you loaded (or the example) by the same engine that annotates them.' }),
      el('div', { className: 'teach-go' }, [this.button, this.hint]));
    this.panels = el('div', { className: 'teach-panels', hidden: true });
    r.append(this.panels);

    const step = (n, title, text, testid) => {
      const s = el('section', { className: 'teach-step' });
      s.dataset.testid = testid;
      const body = el('div', { className: 'teach-body' });
      s.append(el('h3', {}, [el('span', { className: 'step-num', textContent: String(n) }), ` ${title}`]),
        el('p', { className: 'teach-text', textContent: text }), body);
      this.panels.append(s);
      return body;
    };
    this.pseudoBody = step(1, 'Pre-training learns from pseudo-labels',
      'Pre-training has no cell types to learn from. For each dataset it makes three K-means clusterings, into n/100, ' +
      'n/50 and n/200 + 1 groups (at least 2 each), and trains the encoder to predict all three at once; then it ' +
      'clusters again on the encoder\'s output and trains once more. Here are the groups this rule makes of these cells.',
      'teach-pseudo');
    this.mapsBody = step(2, 'The expression, and what the pre-trained encoder makes of it',
      'Left: the cells laid out from the principal components of their expression. Right: the same cells laid out from ' +
      'the pre-trained encoder\'s output (200 numbers per cell). Both maps are made by the same layout.', 'teach-maps');
    this.curveBody = step(3, 'Fine-tuning on the labelled cells',
      'Full fine-tuning (the paper\'s) trains the encoder and a small classifier on the reference\'s labelled cells. ' +
      'One step per epoch on the training cells, then the held-out validation cells are scored; training stops 30 epochs ' +
      'after the best validation accuracy and keeps that state.', 'teach-curve');
    this.afterBody = step(4, 'The encoder before and after fine-tuning',
      'The cells to annotate, laid out from the pre-trained encoder\'s output (left) and from the fine-tuned encoder\'s ' +
      '(right): fine-tuning pulls apart the types the reference names.', 'teach-finetuned');
    this.resultBody = step(5, 'What came out, and the cells left Unassigned',
      'Predicted against known types (when given). A cell is Unassigned when it is unlike every reference type it could ' +
      'be; the reason of each is below.', 'teach-unassigned');
  }

  refresh() {
    const st = this.state();
    const cells = st.query || st.reference;
    this.root.hidden = !cells;
    this.button.disabled = !cells || st.busy > 0;
    const labelled = st.reference && st.labelColumn;
    this.hint.textContent = !cells ? '' : labelled
      ? 'Runs pre-training\'s clustering, both maps and a full fine-tuning on these cells (a few seconds to minutes).'
      : 'Without a labelled reference (steps 1-2) only steps 1 and 2 can be shown.';
  }

  clear() {
    this.plots = [];
    this.epochs = [];
    for (const b of [this.pseudoBody, this.mapsBody, this.curveBody, this.afterBody, this.resultBody]) b.replaceChildren();
  }

  // A map figure: title, canvas (core's layout, drawn by the page's scatter plot) and caption.
  map(parent, title, xy, codes, levels, note = '') {
    const canvas = el('canvas', { className: 'teach-map' });
    canvas.setAttribute('aria-label', title);
    const fig = el('figure', { className: 'teach-fig' }, [el('figcaption', { textContent: title }), canvas]);
    if (note) fig.append(el('p', { className: 'hint', textContent: note }));
    parent.append(fig);
    const plot = new ScatterPlot(canvas, { radius: 2.5 });
    plot.setData(xy, codes, levels);
    this.plots.push(plot);
    return { fig, canvas, plot };
  }

  legend(parent, levels, counts = null) {
    const ul = el('ul', { className: 'teach-legend' });
    levels.forEach((name, i) => {
      if (counts && !counts[i]) return;
      const sw = el('span', { className: 'swatch' });
      sw.style.background = categoryColor(i);
      ul.append(el('li', {}, [sw, ` ${name}${counts ? ` (${fmt(counts[i])})` : ''}`]));
    });
    parent.append(ul);
  }

  async start() {
    const st = this.state();
    const role = st.query ? 'query' : 'reference';
    const typesColumn = role === 'query' ? st.truthColumn : st.labelColumn;
    const { seed, unknown } = this.options();
    this.clear();
    delete this.root.dataset.done;
    delete this.root.dataset.liveEpochs;
    this.panels.hidden = false;
    this.root.scrollIntoView({ behavior: 'smooth', block: 'start' });
    const maps = await this.run('Teaching view: pseudo-labels and maps', 'teachMaps', { role, seed, typesColumn });
    if (!maps) return;
    this.showPseudo(maps);
    this.showMaps(maps);
    if (!(st.reference && st.labelColumn)) {
      for (const b of [this.curveBody, this.afterBody, this.resultBody])
        b.append(el('p', { className: 'notice', textContent: 'Give a reference with labelled cells (steps 1 and 2) to see fine-tuning.' }));
      return;
    }
    this.startCurve();
    let live = 0;
    const ft = await this.run('Teaching view: full fine-tuning', 'teachFinetune', {
      reference: 'reference', query: st.query ? 'query' : '', labelColumn: st.labelColumn, truthColumn: st.truthColumn,
      seed, unknown,
    }, { onProgress: (p) => {
      if (!p.epoch) return;
      this.root.dataset.liveEpochs = String(++live);  // epochs that arrived while training ran
      this.addEpoch(p.epoch);
    } });
    if (!ft) return;
    this.epochs = ft.epochs;  // the whole log (a throttled browser may have merged events)
    this.curveFit = ft.fit;
    this.drawCurve(ft.fit);
    this.showAfter(maps, ft);
    this.showResult(ft);
    this.root.dataset.done = 'true';
  }

  // Step 1: the three sets, phase 1 on the expression map; a switch shows phase 2 on the encoder's.
  showPseudo(m) {
    const body = this.pseudoBody;
    const n = m.cells;
    const rule = [`n/100 = ${Math.floor(n / 100)}`, `n/50 = ${Math.floor(n / 50)}`, `n/200 + 1 = ${Math.floor(n / 200) + 1}`];
    body.append(el('p', { className: 'teach-figures', textContent: `n = ${fmt(n)} cells: ` +
      m.phase1.k.map((k, j) => `${rule[j]} → ${k} groups`).join('; ') + '. (A pre-training dataset of 10,000 cells gets 100, 200 and 51.)' }));
    const row = el('div', { className: 'teach-row three' });
    body.append(row);
    const sets = [];
    for (let j = 0; j < 3; ++j) {
      const k = m.phase1.k[j];
      const levels = Array.from({ length: k }, (_, i) => `group ${i + 1}`);
      const f = this.map(row, `${['n/100', 'n/50', 'n/200 + 1'][j]}: ${k} groups`, m.pcaXy, m.phase1.labels[j], levels);
      f.canvas.dataset.testid = 'teach-pseudo-map';
      f.canvas.dataset.k = String(k);
      sets.push(f);
    }
    if (m.phase2 && m.encXy) {
      const sel = el('select', { className: 'teach-phase' });
      sel.append(new Option('phase 1: clusters of the expression', '1'),
        new Option('phase 2: clusters of the encoder\'s output', '2'));
      sel.setAttribute('aria-label', 'Pseudo-label phase');
      sel.addEventListener('change', () => {
        const p2 = sel.value === '2';
        sets.forEach((f, j) => {
          const ph = p2 ? m.phase2 : m.phase1;
          f.plot.setData(p2 ? m.encXy : m.pcaXy, ph.labels[j], Array.from({ length: ph.k[j] }, (_, i) => `group ${i + 1}`));
        });
      });
      body.prepend(el('label', { className: 'field teach-switch' }, ['Show ', sel]),
        el('p', { className: 'hint', textContent: 'Phase 1 is drawn on the map of the expression, phase 2 on the map of the encoder (step 2).' }));
    }
  }

  // Step 2: expression (PCA) beside the pre-trained encoder, coloured by the known types if any.
  showMaps(m) {
    const body = this.mapsBody;
    const row = el('div', { className: 'teach-row two' });
    body.append(row);
    const t = m.types;
    const codes = t ? t.codes : null, levels = t ? t.levels : [];
    const a = this.map(row, 'From the expression (principal components)', m.pcaXy, codes, levels);
    a.canvas.dataset.testid = 'teach-pca-map';
    if (m.encXy) {
      const b = this.map(row, `From the pre-trained encoder (${m.model ? m.model.name : 'the model'})`, m.encXy, codes, levels,
        m.encoder ? m.encoder.summary : '');
      b.canvas.dataset.testid = 'teach-encoder-map';
    } else {
      row.append(el('p', { className: 'notice', textContent: m.encoderNote }));
    }
    if (t) {
      const counts = new Array(levels.length).fill(0);
      for (const c of codes) if (c >= 0) ++counts[c];
      body.append(el('p', { className: 'hint', textContent: `Colours: ${t.name}.` }));
      this.legend(body, levels, counts);
    }
  }

  // Step 3: the curve, an SVG drawn by hand (no library), redrawn as epochs arrive.
  startCurve() {
    this.curveSvg = svg('svg', { viewBox: '0 0 640 260', class: 'teach-curve', role: 'img', 'aria-label': 'Accuracy per epoch' });
    this.curveSvg.dataset.testid = 'teach-curve-svg';
    this.curveNote = el('p', { className: 'teach-figures', textContent: 'Waiting for the first epoch…' });
    const key = el('ul', { className: 'teach-legend' });
    for (const [name, cls] of [['training accuracy', 'train'], ['validation accuracy', 'val']])
      key.append(el('li', {}, [el('span', { className: `line ${cls}` }), ` ${name}`]));
    this.curveBody.append(this.curveSvg, key, this.curveNote);
    this.curveFit = null;
    new ResizeObserver(() => this.drawCurve(this.curveFit)).observe(this.curveSvg);
    this.drawCurve(null);
  }

  addEpoch(e) {
    if (this.epochs.length && this.epochs[this.epochs.length - 1].epoch >= e.epoch) return;
    this.epochs.push(e);
    if (!this.curvePending) {
      this.curvePending = true;
      requestAnimationFrame(() => { this.curvePending = false; this.drawCurve(null); });
    }
  }

  drawCurve(fit) {
    const s = this.curveSvg;
    if (!s) return;
    s.replaceChildren();
    // The drawing's width follows the box's, so its text stays readable on a phone.
    const W = Math.round(Math.max(300, Math.min(760, s.clientWidth || 640))), H = W < 500 ? 220 : 260;
    const L = 46, R = 12, T = 12, B = 34;
    s.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const n = this.epochs.length;
    const xmax = Math.max(10, n);
    const x = (ep) => L + ((ep - 1) / Math.max(1, xmax - 1)) * (W - L - R);
    const y = (a) => T + (1 - a) * (H - T - B);
    for (const a of [0, 0.25, 0.5, 0.75, 1]) {
      s.append(svg('line', { x1: L, x2: W - R, y1: y(a), y2: y(a), class: 'grid' }));
      const t = svg('text', { x: L - 6, y: y(a) + 4, 'text-anchor': 'end', class: 'tick' });
      t.textContent = `${a * 100}%`;
      s.append(t);
    }
    const step = Math.max(1, Math.ceil(xmax / Math.max(3, Math.floor(W / 80)) / 5) * 5);
    for (let ep = 1; ep <= xmax; ep += ep === 1 ? step - 1 : step) {
      const t = svg('text', { x: x(ep), y: H - B + 16, 'text-anchor': 'middle', class: 'tick' });
      t.textContent = String(ep);
      s.append(t);
    }
    const lab = svg('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', class: 'axis' });
    lab.textContent = 'epoch';
    s.append(lab);
    if (fit && fit.bestEpoch > 0) {
      s.append(svg('line', { x1: x(fit.bestEpoch), x2: x(fit.bestEpoch), y1: T, y2: H - B, class: 'best' }));
      const t = svg('text', { x: x(fit.bestEpoch) + 4, y: T + 12, class: 'tick' });
      t.textContent = `kept: epoch ${fit.bestEpoch}`;
      s.append(t);
    }
    for (const [key, cls] of [['trainAccuracy', 'train'], ['valAccuracy', 'val']]) {
      const pts = this.epochs.map((e) => `${x(e.epoch).toFixed(1)},${y(e[key]).toFixed(1)}`).join(' ');
      const line = svg('polyline', { points: pts, class: cls });
      line.dataset.points = String(n);
      s.append(line);
    }
    s.dataset.epochs = String(n);
    if (n) {
      const last = this.epochs[n - 1];
      this.curveNote.textContent = `Epoch ${last.epoch}: training accuracy ${pct(last.trainAccuracy)}, validation ${pct(last.valAccuracy)}.` +
        (fit ? ` Stopped after ${n} epochs; the state of epoch ${fit.bestEpoch} (validation ${pct(fit.bestValAccuracy)}) is kept. ` +
          `${fmt(fit.trainCells)} training and ${fmt(fit.valCells)} validation cells.` : '');
    }
  }

  // Step 4: the pre-trained encoder's map of the predicted cells beside the fine-tuned encoder's.
  showAfter(m, ft) {
    const body = this.afterBody;
    const row = el('div', { className: 'teach-row two' });
    body.append(row);
    const byTruth = !!ft.truthCodes;
    const codes = byTruth ? ft.truthCodes : ft.label;
    const levels = byTruth ? ft.truth.levels : ft.classes;
    if (m.encXy && m.role === ft.target) {
      const before = new Float32Array(2 * ft.cells);
      for (let i = 0; i < ft.cells; ++i) { before[2 * i] = m.encXy[2 * ft.rows[i]]; before[2 * i + 1] = m.encXy[2 * ft.rows[i] + 1]; }
      this.map(row, 'Before: the pre-trained encoder', before, codes, levels).canvas.dataset.testid = 'teach-before-map';
    }
    const after = this.map(row, ft.fit.hasModel ? 'After: the fine-tuned encoder' : 'After: the encoder trained from scratch',
      ft.afterXy, codes, levels);
    after.canvas.dataset.testid = 'teach-after-map';
    body.append(el('p', { className: 'hint', textContent: byTruth ? `Colours: the known types (${ft.truth.column}).` : 'Colours: the predicted types.' }));
    const counts = new Array(levels.length).fill(0);
    for (const c of codes) if (c >= 0) ++counts[c];
    this.legend(body, levels, counts);
  }

  // Step 5: the confusion matrix and the Unassigned cells, each with its reason.
  showResult(ft) {
    const body = this.resultBody;
    const un = [];
    const byReason = new Map();
    for (let i = 0; i < ft.cells; ++i) {
      const code = ft.reasons.codes[i];
      if (code === 0) continue;
      un.push(i);
      const name = ft.reasons.names[code];
      byReason.set(name, (byReason.get(name) || 0) + 1);
    }
    const t = ft.truth;
    body.append(el('p', { className: 'teach-figures', textContent: (t ? `Accuracy ${pct(t.accuracy)} on ${fmt(t.cells)} cells with a known type. ` : '') +
      `${fmt(un.length)} of ${fmt(ft.cells)} cells Unassigned (rule: ${ft.fit.unknown}). ` +
      'These come from the full fine-tuning of step 3; the results above come from the fine-tuning chosen in Options.' }));
    if (t) {
      const table = el('table', { className: 'confusion' });
      table.dataset.testid = 'teach-confusion';
      fillConfusion(table, t);
      body.append(el('div', { className: 'confusion-wrap' }, [table]));
    }
    const reasons = el('ul', { className: 'teach-reasons' });
    reasons.dataset.testid = 'teach-reasons';
    for (const [name, count] of byReason) {
      const li = el('li', {}, [el('b', { textContent: fmt(count) }), ` ${reasonText(name, ft.fit)}`]);
      li.dataset.reason = name;
      li.dataset.count = String(count);
      reasons.append(li);
    }
    if (!un.length) reasons.append(el('li', { textContent: 'No cell is Unassigned: every cell resembles the reference cells of its type.' }));
    body.append(reasons);
    if (un.length) {
      const shown = un.slice(0, 200);
      const table = el('table', { className: 'teach-cells' });
      table.dataset.testid = 'teach-unassigned-cells';
      const head = table.insertRow();
      for (const h of ['cell', 'closest type', 'probability', 'typicality', ...(t ? ['known type'] : []), 'why'])
        head.append(el('th', { textContent: h }));
      for (const i of shown) {
        const tr = table.insertRow();
        // Probabilities rounded down: 0.4996 below a 0.5 threshold must not read 0.500.
        const cells = [ft.barcodes[i], ft.classes[ft.best[i]], (Math.floor(1000 * ft.confidence[i]) / 1000).toFixed(3), ft.typicality[i].toPrecision(2)];
        if (t) cells.push(ft.truthCodes[i] >= 0 ? t.levels[ft.truthCodes[i]] : '');
        cells.push(reasonShort(ft.reasons.names[ft.reasons.codes[i]], ft.fit));
        for (const c of cells) tr.insertCell().textContent = c;
      }
      body.append(el('div', { className: 'teach-cells-wrap' }, [table]));
      if (un.length > shown.length) body.append(el('p', { className: 'hint', textContent: `The first ${shown.length} of ${fmt(un.length)} shown.` }));
    }
  }
}
