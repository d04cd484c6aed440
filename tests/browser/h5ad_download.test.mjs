// The page's "Download .h5ad": a reference with labels and a query, annotated in the page; the
// downloaded file is read back by Debian's python3-anndata (tests/tools/h5ad_readback.py, the
// script the CLI's --out-h5ad test uses): the cells and labels of the page's TSV, categorical
// labels, the bool Unassigned column, X the query's own values, obsm X_scpretrain and X_umap.
// The page is served without isolation (the single-threaded module; the threaded one runs the
// same code).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openApp, dataPath, act, foreignRequests, ROOT, saveDownload } from './harness.mjs';

let app, page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-browser-h5ad-'));
const ref = dataPath('cellbench_celseq2_5cl'), query = dataPath('cellbench_celseq2_3cl');
const tenx = (dir) => ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((f) => path.join(dir, f));
const haveAnndata = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import anndata'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

before(async () => {
  app = await openApp({ isolation: false });
  page = app.page;
});

after(async () => {
  if (app) await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const error = () => page.textContent('[data-testid=error]');

const download = (selector, name) => saveDownload(page, selector, tmp, name);

test('the downloaded .h5ad holds the page\'s labels, as anndata reads it', async (t) => {
  if (!ref || !query) return t.skip('shared data absent');
  if (!haveAnndata) return t.skip('python3-anndata is missing (tools/setup installs it)');
  assert.equal(await act(page, () => page.setInputFiles('[data-testid=reference-input]', tenx(ref))), 'done', await error());
  assert.equal(await act(page, () => page.setInputFiles('[data-testid=labels-input]', path.join(ref, 'labels.tsv'))), 'done',
    await error());
  assert.equal(await act(page, () => page.setInputFiles('[data-testid=query-input]', tenx(query))), 'done', await error());
  assert.equal(await act(page, () => page.click('[data-testid=annotate-button]'), 180000), 'done', await error());
  assert.ok(await page.isVisible('[data-testid=download-h5ad]'));
  await page.locator('.table-tools').scrollIntoViewIfNeeded();
  await app.screenshot('h5ad-download');

  const tsv = await download('[data-testid=download-predictions]', 'predictions.tsv');
  const h5ad = await download('[data-testid=download-h5ad]', 'annotated.h5ad');
  assert.equal(h5ad.name, 'annotated.h5ad');
  assert.match(await page.textContent('[data-testid=status]'), /Writing the \.h5ad: done/);
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'tests', 'tools', 'h5ad_readback.py'), h5ad.file, tsv.file,
    '--mtx', query, '--map', '--embedding'], { encoding: 'utf8' });
  const cells = fs.readFileSync(tsv.file, 'utf8').trim().split('\n').length - 1;
  assert.match(out, new RegExp(`^ok: ${cells} cells x \\d+ genes, \\d+ types, \\d+ Unassigned, obsm \\['X_scpretrain', 'X_umap'\\]`));
  assert.deepEqual(foreignRequests(app.requests), []);
  assert.deepEqual(app.consoleErrors, []);
  // Phone width: the two downloads wrap under the filter, both on screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const box = await page.locator('[data-testid=download-h5ad]').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
  await page.locator('.table-tools').scrollIntoViewIfNeeded();
  await app.screenshot('h5ad-download-phone');
  await page.setViewportSize({ width: 1360, height: 1000 });
});

test('a query replaced since the annotation: the .h5ad is refused with a reason, the table stays', async (t) => {
  if (!ref || !query) return t.skip('shared data absent');
  if (!(await page.isVisible('[data-testid=download-h5ad]'))) return t.skip('the first test did not annotate');
  // Other cells as the query: the results shown are now the earlier ones (stale), their rows
  // belong to the cells that were replaced.
  assert.equal(await act(page, () => page.setInputFiles('[data-testid=query-input]', tenx(ref))), 'done', await error());
  assert.equal(await act(page, () => page.click('[data-testid=download-h5ad]')), 'error');
  assert.match(await error(), /replaced since they were annotated: annotate again/);
  assert.ok(await page.isVisible('[data-testid=download-predictions]'));
});
