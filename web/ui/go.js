// What Annotate will do: whether the button is on (inputs read, labels the user gave usable), the
// sentence under it (go-hint), and, when the cells have no labels, the choice of the model's
// reference classifier that will label them (or none: K-means groups).
import { fmt, pct } from './format.js';

const $ = (id) => document.getElementById(id);
let state = null, engine = null, onRefresh = () => {};
const ui = { annotate: $('annotate'), classifier: $('classifier') };

// state: the page's (app.js); engine: its Engine; onRefresh: called after every refresh (the
// teaching view's buttons follow the same inputs).
export function setupGo(page) {
  ({ state, engine, onRefresh } = page);
  ui.classifier.addEventListener('change', () => { describeClassifier(); refreshButtons(); });
  $('no-pretrained').addEventListener('change', refreshButtons);
}

export function refreshButtons() {
  const waiting = labelsWaitReason();
  ui.annotate.disabled = state.busy > 0 || (!state.query && !state.reference) || !!waiting;
  const labelled = state.reference && state.labelColumn;
  const offer = !labelled && (state.query || state.reference) && state.classifiers.length > 0 && !$('no-pretrained').checked;
  $('classifier-field').hidden = !offer;
  $('classifier-hint').hidden = !offer;
  const chosen = chosenClassifier();
  $('go-hint').textContent = waiting || (!state.query && !state.reference
    ? 'Load your cells (step 3), or a reference with some cells labelled, to start.'
    : labelled ? (state.query ? 'Ready: the reference\'s types will be given to your cells.' : 'Ready: the reference\'s unlabelled cells will be annotated.')
      : chosen ? `No labels: your cells will be labelled by the classifier ${chosen}.`
        : 'No labels: your cells will be grouped into clusters.');
  onRefresh();
}

// Why Annotate must wait for labels the user gave ('' when it need not): labels not applied yet,
// or labels that could not be used (annotating without them would silently ignore the user's types).
export function labelsWaitReason() {
  const p = state.labelsProblem;
  if (p) return `The labels in ${p.file.name} could not be used: ${p.message.replace(/\.+$/, '')}. Choose another labels file ` +
    '(step 2), load the reference they belong to, or remove them, before annotating.';
  if (state.pending.labels) return `Waiting for the reference (step 1) to be read before its labels (${state.pending.labels.name}).`;
  if (state.pending.queryLabels) return `Waiting for your cells to be read before their known types (${state.pending.queryLabels.name}).`;
  return '';
}

// The classifier to label cells without labels with ('' = K-means groups).
export function chosenClassifier() {
  return $('classifier-field').hidden ? '' : ui.classifier.value;
}

// The model's reference classifiers, offered when there are no labels. Each option names the
// classifier's description, how many of its genes the cells have and whether it fits them (core's
// classifier_fit: species, and the share of a sample of the cells typical of its types). Only a
// classifier that fits is pre-selected (the one whose genes the cells express most); when none
// does, K-means: a classifier made for other cells would label every cell with its own types.
export async function refreshClassifiers() {
  const role = state.query ? 'query' : state.reference ? 'reference' : '';
  let list = [];
  if (role) {
    try {
      list = await engine.request('classifiers', { role });
    } catch {
      list = [];  // no model, or an old module: the K-means flow stays
    }
  }
  state.classifiers = list;
  const sel = ui.classifier;
  sel.innerHTML = '';
  sel.append(new Option('none: group cells by K-means', ''));
  // How much the cells express the classifier's genes (coverage alone ties on full-transcriptome data).
  const cover = (c) => (c.expressed !== undefined ? c.expressed : c.genes ? c.matched / c.genes : 0);
  let best = null;
  for (const c of list) {
    // Its description's first words ("Human PBMC (10x v2, ...": "Human PBMC") name it in the list;
    // the whole description is the option's tooltip and the hint below.
    const short = (c.description || 'no description').split(/[(;:.]/)[0].trim();
    const o = new Option(`${c.name}: ${short} (${fmt(c.matched)} of its ${fmt(c.genes)} genes found) · ${fitWords(c)}`, c.name);
    o.title = c.description || '';
    sel.append(o);
    if (c.fits === true && (!best || cover(c) > cover(best))) best = c;
  }
  // New cells or a new model: the best one again (an earlier pick may not fit these cells).
  sel.value = best ? best.name : '';
  describeClassifier();
  refreshButtons();
}

// "fits: 92% of cells typical" / "does not fit: mouse cells, a human classifier; ...".
function fitWords(c) {
  if (c.fits === undefined) return 'fit not checked';
  return c.fits ? `fits: ${pct(c.typical)} of sampled cells typical of its types` : `does not fit: ${c.verdict}`;
}

function describeClassifier() {
  const c = state.classifiers.find((x) => x.name === ui.classifier.value);
  const why = state.classifiers.filter((x) => !x.fits).map((x) => `${x.name}: ${x.verdict}`).join('; ');
  $('classifier-hint').textContent = c ? `${(c.description || c.name).replace(/\.+$/, '')}. ${fmt(c.matched)} of its ${fmt(c.genes)} genes are in your cells` +
    (c.matched < Math.min(50, c.genes) ? ': too few to use it.' : '.') +
    (c.fits ? ` It fits your cells: ${c.verdict}.` : c.fits === false ? ` It does not fit your cells (${c.verdict}): its labels would likely be wrong.` : '')
    : 'The cells will be grouped by K-means on the model\'s embedding: groups, not cell types.' +
      (why && !state.classifiers.some((x) => x.fits) ? ` No classifier of the model fits them (${why}).` : '');
}
