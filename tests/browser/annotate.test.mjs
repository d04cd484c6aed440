// End-to-end: the real annotate flow in headless Chromium on real data. One 10x folder with three
// quarters of its cells labelled; the held quarter's labels are given as the known types, so the
// page scores itself and the test scores the downloaded predictions. Then a cancelled run and a
// corrupt file: the results stay in place and downloadable, and the page still annotates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openApp, dataPath, settled, foreignRequests, ROOT, clickLoggingStatus } from './harness.mjs';

let app, page, split;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-browser-annotate-'));
const dir = dataPath('pbmc3k_seurat_labels');
// Above what a broken model reaches: one type for every cell scores 26% here (Naive CD4 T).
const ACCURACY_FLOOR = 0.7;

before(async () => {
  app = await openApp();
  page = app.page;
});

after(async () => {
  if (app) await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const text = (id) => page.textContent(`[data-testid=${id}], #${id}`);

// Every 4th cell's label is held out: those cells are the ones to annotate.
function splitLabels() {
  const rows = fs.readFileSync(path.join(dir, 'labels.tsv'), 'utf8').trim().split('\n');
  const partial = path.join(tmp, 'partial.tsv'), held = path.join(tmp, 'held.tsv');
  fs.writeFileSync(partial, rows.filter((_, i) => i % 4 !== 0).join('\n') + '\n');
  fs.writeFileSync(held, rows.filter((_, i) => i % 4 === 0).join('\n') + '\n');
  return { partial, held, truth: new Map(rows.filter((_, i) => i % 4 === 0).map((r) => r.split('\t'))) };
}

async function download(selector) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

// Hovers over the map until the tooltip shows a cell.
async function hoverACell() {
  // The map draws on an animation frame after the results arrive (its hit grid with it): on a busy
  // machine the first sweep can come before it, so sweep again for a few seconds.
  for (let round = 0; round < 10; ++round) {
    const box = await page.locator('[data-testid=cell-map]').boundingBox();
    for (let gy = 1; gy < 12; ++gy)
      for (let gx = 1; gx < 12; ++gx) {
        await page.mouse.move(box.x + (box.width * gx) / 12, box.y + (box.height * gy) / 12);
        if (await page.isVisible('#map-tooltip')) return page.textContent('#map-tooltip');
      }
    await page.waitForTimeout(500);
  }
  return null;
}

test('one 10x folder, some cells labelled: annotated, scored, downloaded; cancel and a bad file keep the results', async (t) => {
  if (!dir) return t.skip('shared data absent');
  split = splitLabels();
  const { partial, held, truth } = split;

  // Without pre-training, whether or not the installation ships a model: the fine-tuning runs
  // long enough to be cancelled below.
  await page.click('.options summary');
  await page.check('#no-pretrained');
  await page.setInputFiles('[data-testid=reference-input]', ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((f) => path.join(dir, f)));
  assert.equal(await settled(page), 'done', await text('error'));
  await page.setInputFiles('[data-testid=labels-input]', partial);
  assert.equal(await settled(page), 'done', await text('error'));
  assert.equal(await page.inputValue('[data-testid=label-column]'), 'labels: partial.tsv');
  await page.setInputFiles('[data-testid=query-labels-input]', held);
  assert.equal(await settled(page), 'done', await text('error'));
  assert.equal(await page.inputValue('[data-testid=truth-column]'), 'labels: held.tsv');
  assert.match(await page.textContent('#go-hint'), /unlabelled cells will be annotated/);

  // Every step shows progress; fine-tuning shows its validation accuracy as it goes.
  const { state, log } = await clickLoggingStatus(page, '[data-testid=annotate-button]');
  assert.equal(state, 'done', await text('error'));
  assert.ok(log.some((s) => /fine-tuning: .*(val acc|validation accuracy)/.test(s)), log.slice(0, 5).join(' | '));
  assert.ok(log.some((s) => /predicting/.test(s)) && log.some((s) => /making the map/.test(s)), log.join(' | ').slice(0, 400));

  const summary = await text('summary');
  assert.match(summary, /660\s*cells annotated/);
  assert.match(summary, /Unassigned/);
  assert.match(summary, /genes used/);
  assert.match(summary, /without pre-training/);
  const shown = Number((await text('accuracy')).match(/Accuracy ([\d.]+)%/)[1]) / 100;
  assert.ok(shown > ACCURACY_FLOOR, `page accuracy ${shown}`);
  assert.ok(await page.isVisible('#confusion'));
  const legend = await page.$$eval('#legend li', (l) => l.map((x) => x.textContent));
  assert.ok(legend.length >= 5, legend.join(','));
  const tip = await hoverACell();
  assert.match(tip || '', /\n.*\nconfidence \d\.\d\d/);
  await app.screenshot('annotate-results');

  // The table sorts on a header click: text by its collation, numbers numerically, stably.
  const heads = await page.$$eval('#table .vtable-head .vtable-cell', (b) => b.map((x) => x.textContent.trim()));
  const columnRows = (k) => page.$$eval('#table .vtable-row', (rows, k) => rows.map((r) => r.children[k].textContent), k);
  for (const [pattern, ordered] of [
    [/^label/i, (a, b) => a.localeCompare(b) <= 0],
    [/^confidence/i, (a, b) => Number(a) <= Number(b)],
  ]) {
    const k = heads.findIndex((h) => pattern.test(h));
    assert.ok(k >= 0, heads.join(','));
    await page.click(`#table .vtable-head .vtable-cell:nth-child(${k + 1})`);
    const shownRows = await columnRows(k);
    assert.ok(shownRows.length > 5, `${shownRows.length} rows shown`);
    for (let i = 1; i < shownRows.length; ++i) assert.ok(ordered(shownRows[i - 1], shownRows[i]), `${heads[k]}: ${shownRows.slice(0, i + 1).join(' | ')}`);
  }

  const tsv = await download('[data-testid=download-predictions]');
  assert.equal(tsv.name, 'predictions.tsv');
  const lines = tsv.bytes.toString('utf8').trim().split('\n');
  assert.equal(lines[0], 'barcode\tlabel\tconfidence');
  assert.equal(lines.length - 1, truth.size);
  let right = 0;
  for (const l of lines.slice(1)) {
    const [barcode, label, conf] = l.split('\t');
    assert.ok(truth.has(barcode), barcode);
    assert.match(conf, /^[01]\.\d{4}$/);
    right += truth.get(barcode) === label;
  }
  const accuracy = right / truth.size;
  assert.ok(accuracy > ACCURACY_FLOOR, `accuracy ${accuracy}`);
  assert.ok(Math.abs(accuracy - shown) < 0.001, `page ${shown} vs download ${accuracy}`);
  const png = await download('#download-png');
  assert.equal(png.bytes.subarray(1, 4).toString(), 'PNG');
  const svg = await download('#download-svg');
  assert.match(svg.bytes.toString('utf8'), /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

  // Cancelled while fine-tuning: the results stay.
  await page.click('[data-testid=annotate-button]');
  await page.waitForFunction(() => /fine-tuning/.test(document.querySelector('[data-testid=status]').textContent));
  await page.click('#cancel');
  assert.equal(await settled(page), 'idle');
  assert.match(await text('status'), /cancelled/);
  assert.equal(await text('summary'), summary);

  // A corrupt file: its message, the results still there and downloadable, and the page still works.
  const gz = fs.readFileSync(path.join(dir, 'matrix.mtx.gz'));
  const bad = path.join(tmp, 'bad');
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, 'matrix.mtx.gz'), gz.subarray(0, gz.length >> 1));
  await page.setInputFiles('[data-testid=reference-input]', [path.join(bad, 'matrix.mtx.gz'), path.join(dir, 'features.tsv'), path.join(dir, 'barcodes.tsv')]);
  assert.equal(await settled(page), 'error');
  assert.match(await text('error'), /^matrix\.mtx\.gz: /);
  assert.equal(await page.isVisible('[data-testid=summary]'), true);
  assert.equal(await text('summary'), summary);
  assert.deepEqual((await download('[data-testid=download-predictions]')).bytes, tsv.bytes);
  await app.screenshot('annotate-error-kept-results');
  await page.click('[data-testid=annotate-button]');
  assert.equal(await settled(page), 'done', await text('error'));
  assert.match(await text('summary'), /660\s*cells annotated/);
  assert.deepEqual((await download('[data-testid=download-predictions]')).bytes, tsv.bytes, 'same seed, same labels');
});

// A model the user picks: Head mode on its encoder, and the page's labels are scpt annotate's.
test('a model file chosen by the user is used, and the page labels cells as scpt annotate does', async (t) => {
  const scpt = process.env.SCPT_BIN || path.join(ROOT, 'build', 'bin', 'scpt');
  const small = dataPath('sctransform_pbmc_unlabeled');
  if (!dir || !split || !small || !fs.existsSync(scpt)) return t.skip('needs build/bin/scpt and shared data');
  const model = path.join(tmp, 'small.scpt');
  execFileSync(scpt, ['--quiet', 'pretrain', '--epochs', '2', '--seed', '1', '--out', model, small], { stdio: ['ignore', 'ignore', 'pipe'] });
  await page.uncheck('#no-pretrained');
  await page.setInputFiles('#model-input', model);
  assert.equal(await settled(page), 'done', await text('error'));
  assert.match(await page.textContent('#model-name'), /small\.scpt/);
  await page.click('[data-testid=annotate-button]');
  assert.equal(await settled(page), 'done', await text('error'));
  const summary = await text('summary');
  assert.match(summary, /660\s*cells annotated/);
  assert.match(summary, /Fine-tuning, head mode: a logistic-regression head fitted on [\d,]+ training cells/);
  assert.doesNotMatch(summary, /without pre-training/);
  const lines = (await download('[data-testid=download-predictions]')).bytes.toString('utf8').trim().split('\n');
  const out = path.join(tmp, 'cli.tsv');
  execFileSync(scpt, ['--quiet', 'annotate', '--reference', dir, '--labels', split.partial, '--model', model, '--seed', '0', '--out', out],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const cli = new Map(fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t').slice(0, 2)));
  assert.equal(lines.length - 1, cli.size);
  let same = 0, right = 0;
  for (const l of lines.slice(1)) {
    const [barcode, label] = l.split('\t');
    same += cli.get(barcode) === label;
    right += split.truth.get(barcode) === label;
  }
  console.log(`page (model small.scpt) vs scpt annotate: ${(100 * same / cli.size).toFixed(2)}% of ${cli.size} cells alike; ` +
    `accuracy on held labels ${(100 * right / cli.size).toFixed(1)}%`);
  assert.ok(same / cli.size >= 0.995, `agreement ${same / cli.size}`);
  assert.ok(right / cli.size > ACCURACY_FLOOR);
  await app.screenshot('annotate-with-model');
});

test('a query can be removed again: then the reference\'s unlabelled cells are the ones annotated', async (t) => {
  const q = dataPath('fixtures', 'seurat_testdata', 'cr3.0');
  if (!dir || !split || !q) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=query-input]', ['matrix.mtx.gz', 'features.tsv.gz', 'barcodes.tsv.gz'].map((f) => path.join(q, f)));
  assert.equal(await settled(page), 'done', await text('error'));
  assert.match(await page.textContent('#go-hint'), /given to your cells/);
  assert.match(await text('summary'), /from the earlier inputs/);
  await page.click('#remove-query');
  assert.equal(await settled(page), 'done', await text('error'));
  assert.equal(await page.isHidden('#query-info'), true);
  assert.match(await page.textContent('#go-hint'), /unlabelled cells will be annotated/);
});

test('nothing left this machine during annotation', () => {
  assert.deepEqual(foreignRequests(app.requests), []);
  assert.deepEqual(app.consoleErrors, []);
});
