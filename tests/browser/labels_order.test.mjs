// End-to-end: files arrive in any order and at any time. A labels file chosen while its reference
// is still being read (as anyone does, a second after the folder), or before the reference, waits
// and is applied once the reference is read; Annotate then gives the user's types, never a shipped
// classifier's. Labels that cannot be used block Annotate with a message instead of falling back
// to a classifier or K-means. Real mouse sets (Ting 2014 pancreatic CTCs, 7 groups; injured lung
// AEC2 cells, 11 types): neither is of any shipped classifier's kind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, dataPath, settled, errorText } from './harness.mjs';

const ting = dataPath('ting_mouse_ctc');
const lung = dataPath('clustifyr_mouse_lung_aec2_10x');
const skip = !ting || !lung ? 'shared data absent' : false;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-browser-labels-order-'));

let app, page;
before(async () => {
  if (skip) return;
  app = await openApp();
  page = app.page;
});
after(async () => {
  if (app) await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const text = (id) => page.textContent(`[data-testid=${id}], #${id}`);
const folder = (dir) => ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((f) => path.join(dir, f));

// Three quarters of a set's labels (the held quarter is what the page annotates) and their types.
function partialLabels(dir, name) {
  const rows = fs.readFileSync(path.join(dir, 'labels.tsv'), 'utf8').trim().split('\n');
  const file = path.join(tmp, name);
  const kept = rows.filter((_, i) => i % 4 !== 0);
  fs.writeFileSync(file, kept.join('\n') + '\n');
  return { file, types: new Set(kept.map((r) => r.split('\t')[1])) };
}

// Waits until nothing runs and no labels wait (the page may chain a labels read after a load).
async function quiet() {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=status]').dataset.state;
    return s !== 'running' && !/waiting for/.test(document.querySelector('#labels-info').textContent);
  }, null, { timeout: 120000 });
  return settled(page);
}

// Annotates and returns the types the summary lists (without Unassigned).
async function annotatedTypes() {
  await page.click('[data-testid=annotate-button]');
  assert.equal(await settled(page), 'done', await errorText(page));
  assert.doesNotMatch(await text('summary'), /Classifier \S+ of the model/);
  return (await page.$$eval('#summary .types li', (l) => l.map((x) => x.dataset.type))).filter((t) => t !== 'Unassigned');
}

function assertUsersTypes(found, types) {
  assert.ok(found.length >= 3, found.join(', '));
  for (const t of found) assert.ok(types.has(t), `"${t}" is not one of the user's types (${[...types].join(', ')})`);
}

test('labels chosen while the reference is read, or before it, are applied to it; Annotate gives their types', { skip }, async () => {
  const t = partialLabels(ting, 'ting_labels.tsv');
  // The labels file right after the folder, without waiting.
  await page.setInputFiles('[data-testid=reference-input]', folder(ting));
  await page.setInputFiles('[data-testid=labels-input]', t.file);
  const during = await page.evaluate(() => ({ status: document.querySelector('[data-testid=status]').textContent,
    labels: document.querySelector('#labels-info').textContent, go: document.querySelector('#annotate').disabled }));
  assert.match(during.status, /Reading the reference/, 'the labels were meant to arrive while the reference is read');
  assert.match(during.labels, /ting_labels\.tsv: waiting for the reference to be read/);
  assert.equal(during.go, true);
  assert.equal(await quiet(), 'done', await errorText(page));
  assert.equal(await errorText(page), '');
  assert.match(await text('labels-info'), /111 of 149 cells labelled · 7 types/);
  assert.equal(await page.inputValue('[data-testid=label-column]'), 'labels: ting_labels.tsv');
  assert.match(await text('go-hint'), /unlabelled cells will be annotated/);
  assertUsersTypes(await annotatedTypes(), t.types);

  // A new reference with its labels right after: they go to the new one, not the earlier one.
  const l = partialLabels(lung, 'lung_labels.tsv');
  await page.setInputFiles('[data-testid=reference-input]', folder(lung));
  await page.setInputFiles('[data-testid=labels-input]', l.file);
  assert.equal(await quiet(), 'done', await errorText(page));
  assert.match(await text('labels-info'), /411 of 549 cells labelled · 10 types/);
  assertUsersTypes(await annotatedTypes(), l.types);

  // The reverse order on a fresh page: the labels first, then the reference.
  await page.reload();
  await page.waitForSelector('body[data-engine=ready]', { state: 'attached', timeout: 30000 });
  await page.setInputFiles('[data-testid=labels-input]', t.file);
  assert.match(await text('labels-info'), /ting_labels\.tsv: waiting for the reference \(step 1\)/);
  assert.match(await text('go-hint'), /Waiting for the reference \(step 1\) to be read before its labels/);
  assert.equal(await errorText(page), '');
  await page.setInputFiles('[data-testid=reference-input]', folder(ting));
  assert.equal(await quiet(), 'done', await errorText(page));
  assert.match(await text('labels-info'), /111 of 149 cells labelled · 7 types/);
  assertUsersTypes(await annotatedTypes(), t.types);
});

test('labels that cannot be used block Annotate with a message: no classifier, no K-means', { skip }, async () => {
  await page.reload();
  await page.waitForSelector('body[data-engine=ready]', { state: 'attached', timeout: 30000 });
  await page.setInputFiles('[data-testid=reference-input]', folder(ting));
  assert.equal(await settled(page), 'done', await errorText(page));
  // Another set's labels: no barcode of the reference.
  const other = partialLabels(lung, 'other_labels.tsv');
  await page.setInputFiles('[data-testid=labels-input]', other.file);
  assert.equal(await quiet(), 'error');
  assert.match(await text('labels-info'), /other_labels\.tsv: could not be used: .+/);
  assert.equal(await page.isDisabled('[data-testid=annotate-button]'), true);
  assert.match(await text('go-hint'), /The labels in other_labels\.tsv could not be used: .+Choose another labels file/);
  // Still blocked after the classifier list came (it would be offered without labels).
  await page.waitForTimeout(1500);
  assert.equal(await page.isDisabled('[data-testid=annotate-button]'), true);
  assert.equal(await page.isVisible('#results'), false);

  // A file that is no labels file at all: the same.
  const junk = path.join(tmp, 'junk.tsv');
  fs.writeFileSync(junk, Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 10]));
  await page.setInputFiles('[data-testid=labels-input]', junk);
  await quiet();
  assert.match(await text('labels-info'), /junk\.tsv: could not be used/);
  assert.equal(await page.isDisabled('[data-testid=annotate-button]'), true);

  // The right labels fix it.
  const t = partialLabels(ting, 'ting_labels.tsv');
  await page.setInputFiles('[data-testid=labels-input]', t.file);
  assert.equal(await quiet(), 'done', await errorText(page));
  assert.equal(await page.isDisabled('[data-testid=annotate-button]'), false);
  assertUsersTypes(await annotatedTypes(), t.types);
});
