// End-to-end: the page in headless Chromium, driven like a biologist would drive it, on real data
// from ../shared/data. Screenshots land in test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, dataPath, settled, foreignRequests } from './harness.mjs';

let app, page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-browser-'));
const files = (dir, names) => names.map((n) => path.join(dir, n));

before(async () => {
  app = await openApp();
  page = app.page;
});

after(async () => {
  if (app) await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const text = (id) => page.textContent(`[data-testid=${id}], #${id}`);

test('the page is isolated, strictly sandboxed, and starts the engine', async () => {
  const res = await page.request.get(app.url);
  const h = res.headers();
  assert.equal(h['cross-origin-opener-policy'], 'same-origin');
  assert.equal(h['cross-origin-embedder-policy'], 'require-corp');
  assert.match(h['content-security-policy'], /default-src 'self'/);
  assert.doesNotMatch(h['content-security-policy'], /'unsafe-eval'|unsafe-inline|\*/);
  const wasm = await page.request.get(`${app.url}gen/scpt.wasm`);
  assert.equal(wasm.headers()['content-type'], 'application/wasm');
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
  assert.match(await page.textContent('#engine'), /WebAssembly · SIMD · \d+ threads?/);
  assert.equal(await page.getAttribute('[data-testid=status]', 'data-state'), 'idle');
  assert.equal(await page.isDisabled('[data-testid=annotate-button]'), true);
});

test('a 10x folder, its labels and an .h5ad query: annotated, with results to look at and download', async (t) => {
  const ref = dataPath('pbmc3k_seurat_labels');
  const query = dataPath('fixtures', 'h5ad', '10x_pbmc68k_reduced.h5ad');
  if (!ref || !query) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=reference-input]', files(ref, ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv']));
  assert.equal(await settled(page), 'done');
  assert.match(await text('reference-info'), /2,638 cells × 2,000 genes/);

  await page.setInputFiles('[data-testid=labels-input]', path.join(ref, 'labels.tsv'));
  assert.equal(await settled(page), 'done');
  assert.match(await text('labels-info'), /2,638 of 2,638 cells labelled · 9 types/);
  assert.equal(await page.inputValue('[data-testid=label-column]'), 'labels: labels.tsv');

  await page.setInputFiles('[data-testid=query-input]', query);
  assert.equal(await settled(page), 'done');
  const q = await text('query-info');
  assert.match(q, /700 cells × 765 genes/);
  assert.match(q, /raw\/X was read instead/);

  await page.click('[data-testid=annotate-button]');
  assert.equal(await settled(page), 'done', await text('error'));
  assert.match(await text('summary'), /700\s*cells annotated/);
  // The map drew points (non-white pixels) and offers the h5ad's own columns as colourings.
  const inked = await page.evaluate(() => {
    const c = document.querySelector('[data-testid=cell-map]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) ++n;
    return n;
  });
  assert.ok(inked > 700, `only ${inked} inked pixels`);
  const colorings = await page.$$eval('#color-by option', (o) => o.map((x) => x.textContent));
  assert.ok(colorings.includes('bulk_labels'), colorings.join(','));
  // The table is virtual: 700 cells, far fewer rows in the DOM.
  const rows = await page.$$eval('.vtable-row', (r) => r.length);
  assert.ok(rows > 5 && rows < 100, `${rows} rows rendered`);
  await app.screenshot('results-reference-query');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-predictions]')]);
  const tsv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.equal(tsv.length, 701);
  assert.equal(tsv[0], 'barcode\tlabel\tconfidence');
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#download-png')]);
  assert.equal(fs.readFileSync(await png.path()).subarray(1, 4).toString(), 'PNG');
});

test('a whole dataset folder brings its metadata: the label column is offered and chosen', async (t) => {
  const dir = dataPath('pbmc3k_seurat_labels');
  if (!dir) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=reference-input]', fs.readdirSync(dir).map((f) => path.join(dir, f)));
  assert.equal(await settled(page), 'done', await text('error'));
  const options = await page.$$eval('[data-testid=label-column] option', (o) => o.map((x) => x.value));
  assert.ok(options.includes('label') && options.includes('classified'), options.join(','));
  assert.equal(await page.inputValue('[data-testid=label-column]'), 'label');
});

test('a 10x folder and the same data as 10x .h5 read alike', async (t) => {
  const dir = dataPath('fixtures', 'scanpy_10x', '3.0.0');
  if (!dir) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=query-input]',
    files(path.join(dir, 'filtered_feature_bc_matrix'), ['matrix.mtx.gz', 'features.tsv.gz', 'barcodes.tsv.gz']));
  assert.equal(await settled(page), 'done');
  const fromFolder = (await text('query-info')).match(/[\d,]+ cells × [\d,]+ genes/)[0];
  await page.setInputFiles('[data-testid=query-input]', path.join(dir, 'filtered_feature_bc_matrix.h5'));
  assert.equal(await settled(page), 'done');
  assert.equal((await text('query-info')).match(/[\d,]+ cells × [\d,]+ genes/)[0], fromFolder);
});

test('an LZF-compressed .h5ad reads through the HDF5 filter plugins', async (t) => {
  const file = dataPath('fixtures', 'h5ad', 'pbmc_5k_protein_v3.h5ad');
  if (!file) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=query-input]', file);
  assert.equal(await settled(page), 'done', await text('error'));
  assert.match(await text('query-info'), /200 cells × 16,581 genes · raw counts/);
});

test('bad files say what is wrong and the page keeps what it had', async (t) => {
  const good = dataPath('fixtures', 'seurat_testdata', 'cr3.0');
  if (!good) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=query-input]', files(good, ['matrix.mtx.gz', 'features.tsv.gz', 'barcodes.tsv.gz']));
  assert.equal(await settled(page), 'done');
  const before = await text('query-info');

  // A matrix whose third entry is not a number.
  const bad = path.join(tmp, 'bad');
  fs.mkdirSync(bad, { recursive: true });
  fs.writeFileSync(path.join(bad, 'matrix.mtx'), '%%MatrixMarket matrix coordinate integer general\n3 2 3\n1 1 4\n2 2 1\n3 1 x7\n');
  fs.writeFileSync(path.join(bad, 'features.tsv'), 'G1\tA\nG2\tB\nG3\tC\n');
  fs.writeFileSync(path.join(bad, 'barcodes.tsv'), 'c1\nc2\n');
  await page.setInputFiles('[data-testid=query-input]', files(bad, ['matrix.mtx', 'features.tsv', 'barcodes.tsv']));
  assert.equal(await settled(page), 'error');
  assert.match(await text('error'), /^matrix\.mtx: line 5: .*x7/);
  assert.equal(await text('query-info'), before);

  // Not an HDF5 file at all.
  fs.writeFileSync(path.join(tmp, 'broken.h5ad'), 'this is not HDF5');
  await page.setInputFiles('[data-testid=query-input]', path.join(tmp, 'broken.h5ad'));
  assert.equal(await settled(page), 'error');
  assert.match(await text('error'), /^broken\.h5ad: is not an HDF5 file/);

  // A gzip file that is cut short.
  const gz = fs.readFileSync(path.join(good, 'matrix.mtx.gz'));
  fs.writeFileSync(path.join(bad, 'matrix.mtx.gz'), gz.subarray(0, gz.length >> 1));
  await page.setInputFiles('[data-testid=query-input]', [path.join(bad, 'matrix.mtx.gz'), ...files(good, ['features.tsv.gz', 'barcodes.tsv.gz'])]);
  assert.equal(await settled(page), 'error');
  assert.match(await text('error'), /^matrix\.mtx\.gz: /);

  // Only part of a folder.
  await page.setInputFiles('[data-testid=query-input]', path.join(good, 'barcodes.tsv.gz'));
  assert.equal(await settled(page), 'error');
  assert.match(await text('error'), /matrix\.mtx, features\.tsv \(or genes\.tsv\) missing/);
  await app.screenshot('error-kept-state');

  // Still usable: the earlier query (5 cells, no labels chosen) is grouped into clusters.
  assert.equal(await text('query-info'), before);
  await page.selectOption('[data-testid=label-column]', '');
  await page.click('[data-testid=annotate-button]');
  assert.equal(await settled(page), 'done', await text('error'));
  assert.equal(await page.isHidden('[data-testid=error]'), true);
  assert.match(await text('summary'), /5\s*cells grouped.*clusters/s);
});

// A large synthetic 10x folder (about 150 MB of Matrix Market text), so the read takes long
// enough to be cancelled whatever the machine.
function bigFolder() {
  const dir = path.join(tmp, 'big');
  fs.mkdirSync(dir, { recursive: true });
  const genes = 20000, cells = 5000, perCell = 2000;
  const out = fs.openSync(path.join(dir, 'matrix.mtx'), 'w');
  fs.writeSync(out, `%%MatrixMarket matrix coordinate integer general\n${genes} ${cells} ${cells * perCell}\n`);
  for (let c = 1; c <= cells; ++c) {
    const lines = [];
    for (let k = 0; k < perCell; ++k) lines.push(`${1 + ((k * 7 + c) % genes)} ${c} ${1 + (k % 9)}`);
    fs.writeSync(out, lines.join('\n') + '\n');
  }
  fs.closeSync(out);
  fs.writeFileSync(path.join(dir, 'features.tsv'), Array.from({ length: genes }, (_, g) => `G${g}\tGene${g}`).join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'barcodes.tsv'), Array.from({ length: cells }, (_, c) => `C${c}-1`).join('\n') + '\n');
  return files(dir, ['matrix.mtx', 'features.tsv', 'barcodes.tsv']);
}

test('cancel stops a long read and keeps the earlier data', async () => {
  const before = await text('query-info');
  await page.setInputFiles('[data-testid=query-input]', bigFolder());
  await page.waitForSelector('#cancel:not([hidden])');
  await page.click('#cancel');
  assert.equal(await settled(page), 'idle');
  assert.match(await text('status'), /cancelled/);
  assert.equal(await text('query-info'), before);
});

test('cancel stops work running in C++ (the map) and the page still works', async (t) => {
  const big = dataPath('soupx_pbmc4k_10x');
  if (!big) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=query-input]', files(big, ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv']));
  assert.equal(await settled(page), 'done');
  await page.click('[data-testid=annotate-button]');
  await page.waitForFunction(() => /layout|map|neighbour|principal|normalising|encoding/.test(document.querySelector('[data-testid=status]').textContent));
  await page.click('#cancel');
  assert.equal(await settled(page), 'idle');
  assert.match(await text('status'), /cancelled/);
  assert.match(await text('query-info'), /2,170 cells/);
  // The engine is still there and usable.
  await page.setInputFiles('[data-testid=query-input]', files(dataPath('fixtures', 'seurat_testdata', 'cr3.0'), ['matrix.mtx.gz', 'features.tsv.gz', 'barcodes.tsv.gz']));
  assert.equal(await settled(page), 'done');
});

test('nothing left this machine', () => {
  assert.deepEqual(foreignRequests(app.requests), []);
  assert.ok(app.requests.some((u) => u.endsWith('/gen/h5wasm/hdf5_util.js')), 'h5wasm comes from our own server');
  assert.deepEqual(app.consoleErrors, []);
});
