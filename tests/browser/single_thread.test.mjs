// The page served without cross-origin isolation (as a plain static host would): no
// SharedArrayBuffer, so the single-threaded module runs, and cancelling C++ work replaces the
// worker and reloads what the page had.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openApp, dataPath, settled, foreignRequests } from './harness.mjs';

let app, page;
before(async () => {
  app = await openApp({ isolation: false });
  page = app.page;
});
after(async () => { if (app) await app.close(); });

test('without isolation the single-threaded module reads, maps, cancels and recovers', async (t) => {
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  assert.match(await page.textContent('#engine'), /WebAssembly · SIMD · 1 thread ·/);
  const big = dataPath('soupx_pbmc4k_10x');
  if (!big) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=query-input]', ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((f) => path.join(big, f)));
  assert.equal(await settled(page), 'done');
  // Cancel the map while C++ runs: the worker cannot hear it, so it is replaced and the data reloaded.
  await page.click('[data-testid=annotate-button]');
  await page.waitForFunction(() => /layout|map|neighbour|principal|normalising/.test(document.querySelector('[data-testid=status]').textContent));
  await page.click('#cancel');
  assert.equal(await settled(page), 'idle');
  assert.match(await page.textContent('[data-testid=status]'), /cancelled/);
  // The reloaded query annotates.
  await page.click('[data-testid=annotate-button]');
  const state = await settled(page, 180000);
  assert.equal(state, 'done', await page.textContent('[data-testid=error]'));
  assert.match(await page.textContent('[data-testid=summary]'), /2,170\s*cells/);
  assert.deepEqual(foreignRequests(app.requests), []);
  assert.deepEqual(app.consoleErrors, []);
});
