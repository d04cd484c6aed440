// The page half of the hostile-input catalogue (issue 5, tests/hostile/README.md): every case the
// page can receive, built by build/bin/scpt_hostile_gen from the shared data, is uploaded through
// the page's own inputs. A refused input must leave the page in data-state="error" with a message
// naming the file and the problem, keep what was loaded before, and accept the next good upload;
// a readable-but-odd input loads, with its note. One page for all cases, in sequence; it is
// reopened only if a case leaves it stuck. Relies on the data-testids (reference-input,
// labels-input, query-input, annotate-button, status[data-state], error) and, as app.test.mjs
// does, on the ids of the info boxes (#reference-info, #labels-info, #query-info) and the model
// input (#model-input).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { openApp, dataPath, ROOT, act as actOn, errorText as shownError } from './harness.mjs';

const GEN = path.join(ROOT, 'build', 'bin', 'scpt_hostile_gen');
const GOOD = dataPath('seurat_pbmc_small_unlabeled');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-hostile-'));
const CASE_TIMEOUT = 60000;

// Build the cases now: node:test needs the list of tests when the file loads.
let manifest = [];
let skip = '';
if (!fs.existsSync(GEN)) skip = `${GEN} missing: build the native tools first`;
else if (!GOOD) skip = 'shared data absent';
else {
  execFileSync(GEN, [tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
  manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'manifest.json'), 'utf8'));
}

let app = null, page = null;
const pageErrors = [];
async function reopen() {
  if (app) await app.close().catch(() => {});
  app = await openApp();
  page = app.page;
  page.on('pageerror', (e) => pageErrors.push(String(e)));
}

before(async () => { if (!skip) await reopen(); });
after(async () => {
  if (app) await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const caseFiles = (c, names) => (names || []).map((n) => path.join(tmp, c.dir, n));
const goodQuery = () => ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((n) => path.join(GOOD, n));
const goodModel = () => {
  const m = manifest.find((c) => c.page.model && c.page.model.length);
  return m ? path.join(tmp, m.dir, m.page.model[0]) : null;
};
const INPUT = {
  reference: '[data-testid=reference-input]', query: '[data-testid=query-input]',
  labels: '[data-testid=labels-input]', model: '[data-testid=model-input], #model-input',
};
const info = (role) => page.evaluate((r) => {
  const el = document.querySelector(`[data-testid=${r}-info], #${r}-info`);
  return el && !el.hidden ? el.textContent : '';
}, role);
const modelLine = () => page.evaluate(() => (document.querySelector('[data-testid=model-name], #model-name') || {}).textContent || '');
const state = () => page.getAttribute('[data-testid=status]', 'data-state');
const errorText = () => shownError(page);
// What the page shows besides the error: the info boxes, notes, warnings, summary.
const shownText = () => page.evaluate(() => document.querySelector('main').innerText);

const act = (step) => actOn(page, step, CASE_TIMEOUT);
const upload = (role, files) => act(() => page.setInputFiles(INPUT[role], files));

// A labels file for the reference loaded now: its first barcodes, two types.
function goodLabels(barcodesFile) {
  const raw = fs.readFileSync(barcodesFile);
  const bc = (/\.gz$/.test(barcodesFile) ? zlib.gunzipSync(raw) : raw).toString('utf8').split('\n').filter(Boolean).slice(0, 40);
  const out = path.join(tmp, 'good-labels.tsv');
  fs.writeFileSync(out, bc.map((b, i) => `${b}\t${i % 2 ? 'A' : 'B'}\n`).join(''));
  return out;
}

// The outcome the case expects, from the state the page settled in.
async function expectOutcome(c, got) {
  const re = c.message ? new RegExp(c.message) : null;
  if (c.status === 2) {
    const err = await errorText();
    assert.equal(got, 'error', `expected an error matching /${c.message}/, the page says ${got}: ${err || await shownText()}`);
    if (re) assert.match(err, re);
  } else {
    assert.equal(got, 'done', `expected a defined outcome, the page says ${got}: ${await errorText()}`);
    if (re) assert.match(await shownText(), re);
  }
}

// One matrix upload (query, or the reference of a labels case), then the kept and next-try checks.
async function matrixCase(c) {
  const role = c.page.labels ? 'reference' : 'query';
  if (role === 'query') {
    const before = await info('query');
    await expectOutcome(c, await upload('query', caseFiles(c, c.page.files)));
    if (c.status === 2) assert.equal(await info('query'), before, 'the query loaded before the bad one is gone');
    assert.equal(await upload('query', goodQuery()), 'done', `the next good upload failed: ${await errorText()}`);
    assert.match(await info('query'), /80 cells × 230 genes/);
    return;
  }
  // Labels: the case's (good) reference, then its labels file.
  const files = caseFiles(c, c.page.files);
  assert.equal(await upload('reference', files), 'done', `the case's reference did not load: ${await errorText()}`);
  const reference = await info('reference');
  await expectOutcome(c, await upload('labels', caseFiles(c, c.page.labels)));
  assert.equal(await info('reference'), reference, 'the reference loaded before the bad labels is gone');
  const bc = files.find((f) => /barcodes\.tsv(\.gz)?$/.test(f));
  assert.equal(await upload('labels', goodLabels(bc)), 'done', `good labels after bad ones failed: ${await errorText()}`);
  assert.match(await info('labels'), /40 of [\d,]+ cells labelled · 2 types/);
}

// A model file: refused, the model in use stays; a good model file is then taken.
async function modelCase(c) {
  const before = await modelLine();
  await expectOutcome(c, await upload('model', caseFiles(c, c.page.files)));
  if (c.status === 2) assert.equal(await modelLine(), before, 'the model in use changed after a bad model file');
  const good = goodModel();
  if (good) assert.equal(await upload('model', good), 'done', `a good model file after a bad one failed: ${await errorText()}`);
}

// A run: reference, labels, model and query through their inputs, then Annotate. The first step
// the page refuses is the outcome (the page may check labels when they are given, or at the run).
// A page whose Annotate only previews the cells (no predictions; before the annotate flow of
// web/ landed) cannot give these outcomes: its failures are reported as todo, not as failures.
let previewOnly = false;
const summary = () => page.evaluate(() => (document.querySelector('[data-testid=summary]') || {}).textContent || '');
async function annotateCase(c, t) {
  try {
    const got = await runSteps(c);
    if (got === 'done' && /Predictions will appear here/.test(await summary())) previewOnly = true;
    await expectOutcome(c, got);
  } catch (e) {
    if (!previewOnly) throw e;
    t.todo(`the page's Annotate is a preview without predictions: ${e.message.split('\n')[0]}`);
  }
}
// The state after the first refused upload, or after the run.
async function runSteps(c) {
  const steps = [['reference', c.page.reference], ['labels', c.page.labels], ['model', c.page.model], ['query', c.page.query]];
  for (const [role, names] of steps) {
    if (!names || !names.length) continue;
    const got = await upload(role, caseFiles(c, names));
    if (got !== 'done') return got;
  }
  return act(() => page.click('[data-testid=annotate-button]'));
}

// Runs ending in an outcome (status 0) first among the runs: they tell a preview-only page.
const order = (c) => ({ query: 0, annotate: 1, model: 3 }[c.page.role] ?? 0) + (c.page.role === 'annotate' && c.status !== 0 ? 1 : 0);
const cases = [...manifest].sort((a, b) => order(a) - order(b));

test('the catalogue has page cases', { skip: skip || false }, () => {
  assert.ok(cases.length >= 80, `${cases.length} page cases`);
});

test('a good query loads first', { skip: skip || false }, async () => {
  assert.equal(await upload('query', goodQuery()), 'done', await errorText());
});

for (const c of cases) {
  test(`${c.id}: ${c.description}`, { skip: skip || false }, async (t) => {
    try {
      if (c.page.role === 'model') await modelCase(c);
      else if (c.page.role === 'annotate') await annotateCase(c, t);
      else await matrixCase(c);
    } catch (e) {
      // A page stuck in "running" is a failure of this case; the next ones get a fresh page.
      if (await state().catch(() => 'closed') === 'running' || page.isClosed()) await reopen();
      throw e;
    }
  });
}

test('no uncaught error in the page during the catalogue', { skip: skip || false }, () => {
  assert.deepEqual(pageErrors, []);
});
