// "Nothing lost" in the page (issue 5): results already computed stay on screen and downloadable
// when a later run is cancelled, and when a later step fails (a bad data file, a bad model file);
// the page then still works. Relies on the data-testids (query-input, annotate-button,
// status[data-state], error, summary, download-predictions) and on the Cancel button
// ([data-testid=cancel-button] or #cancel) and the model input ([data-testid=model-input] or #model-input).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, dataPath, settled, act as actOn } from './harness.mjs';

const REF = dataPath('pbmc3k_seurat_labels');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-lost-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
// Both modules: the threaded one stops at the shared cancel flag; the single-threaded one, busy in
// C++, has its worker replaced (worker-client.js), and the page must keep its results all the same.
for (const isolation of [true, false]) describe(isolation ? 'threaded module' : 'single-threaded module', () => {
  let app, page;

  before(async () => {
    if (!REF) return;
    app = await openApp({ isolation });
    page = app.page;
  });
  after(async () => {
    if (app) await app.close();
  });

  const errorText = () => page.textContent('[data-testid=error]');
  async function download() {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-predictions]')]);
    return fs.readFileSync(await d.path(), 'utf8');
  }
  const act = (step) => actOn(page, step);
  const resultsShown = () => page.isVisible('[data-testid=summary]');

  let first = '';  // the first run's table

  test('a first run gives results to download', { skip: !REF && 'shared data absent' }, async () => {
    const files = ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((n) => path.join(REF, n));
    assert.equal(await act(() => page.setInputFiles('[data-testid=query-input]', files)), 'done', await errorText());
    assert.equal(await act(() => page.click('[data-testid=annotate-button]')), 'done', await errorText());
    first = await download();
    assert.equal(first.trim().split('\n').length, 1 + 2638);
  });

  test('a run cancelled midway keeps the earlier results, downloadable', { skip: !REF && 'shared data absent' }, async () => {
    assert.ok(first, 'needs the first run');
    await page.click('[data-testid=annotate-button]');
    await page.waitForFunction(() => document.querySelector('[data-testid=status]').dataset.state === 'running');
    await page.click('[data-testid=cancel-button], #cancel');
    const got = await settled(page);
    assert.notEqual(got, 'error', `cancelling is no error: ${await errorText()}`);
    assert.match(await page.textContent('[data-testid=status]'), /cancel/i, 'the run ended before it was cancelled');
    assert.ok(await resultsShown(), 'the earlier results are gone');
    assert.equal(await download(), first);
    await app.screenshot(`nothing-lost-cancelled-${isolation ? 'mt' : 'st'}`);
  });

  test('a failed step leaves the earlier results in place', { skip: !REF && 'shared data absent' }, async () => {
    assert.ok(first, 'needs the first run');
    // A ragged table: refused.
    const bad = path.join(tmp, 'counts.csv');
    fs.writeFileSync(bad, 'gene,c1,c2\nA,1,2\nB,3\n');
    assert.equal(await act(() => page.setInputFiles('[data-testid=query-input]', bad)), 'error');
    assert.match(await errorText(), /counts\.csv: line 3/);
    assert.ok(await resultsShown());
    assert.equal(await download(), first);
    // A model file that is no model: refused, the results stay.
    const model = path.join(tmp, 'model.scpt');
    fs.writeFileSync(model, 'not a model\n');
    assert.equal(await act(() => page.setInputFiles('[data-testid=model-input], #model-input', model)), 'error');
    assert.match(await errorText(), /model\.scpt: /);
    assert.ok(await resultsShown());
    assert.equal(await download(), first);
  });
});
