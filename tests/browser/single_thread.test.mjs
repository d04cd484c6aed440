// The page served without cross-origin isolation (as a plain static host would): no
// SharedArrayBuffer, so the single-threaded module runs, and cancelling C++ work replaces the
// worker and reloads what the page had.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openApp, dataPath, settled, foreignRequests, ROOT } from './harness.mjs';

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

// Threads where the page is isolated, one thread otherwise, the same results: the single-threaded
// module's labels are scpt annotate's (annotate.test.mjs checks the threaded module the same way).
test('without isolation the single-threaded module labels cells as scpt annotate does', async (t) => {
  const scpt = process.env.SCPT_BIN || path.join(ROOT, 'build', 'bin', 'scpt');
  const dir = dataPath('pbmc3k_seurat_labels');
  if (!dir || !fs.existsSync(scpt)) return t.skip('needs build/bin/scpt and shared data');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-browser-single-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const rows = fs.readFileSync(path.join(dir, 'labels.tsv'), 'utf8').trim().split('\n');
  const partial = path.join(tmp, 'partial.tsv');
  fs.writeFileSync(partial, rows.filter((_, i) => i % 4 !== 0).join('\n') + '\n');
  await page.reload();
  await page.click('.options summary');
  await page.check('#no-pretrained');
  await page.setInputFiles('[data-testid=reference-input]', ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((f) => path.join(dir, f)));
  assert.equal(await settled(page), 'done', await page.textContent('[data-testid=error]'));
  await page.setInputFiles('[data-testid=labels-input]', partial);
  assert.equal(await settled(page), 'done', await page.textContent('[data-testid=error]'));
  await page.click('[data-testid=annotate-button]');
  assert.equal(await settled(page), 'done', await page.textContent('[data-testid=error]'));
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-predictions]')]);
  const lines = fs.readFileSync(await d.path(), 'utf8').trim().split('\n');
  const out = path.join(tmp, 'cli.tsv');
  execFileSync(scpt, ['--quiet', 'annotate', '--reference', dir, '--labels', partial, '--no-pretrained', '--seed', '0', '--threads', '2', '--out', out],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  const cli = new Map(fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t').slice(0, 2)));
  assert.equal(lines.length - 1, cli.size);
  let same = 0;
  for (const l of lines.slice(1)) { const [b, label] = l.split('\t'); same += cli.get(b) === label; }
  console.log(`single-threaded page vs scpt annotate --threads 2: ${(100 * same / cli.size).toFixed(2)}% of ${cli.size} cells alike`);
  assert.ok(same / cli.size >= 0.995, `agreement ${same / cli.size}`);
});
