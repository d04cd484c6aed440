// Files that crash, hang or exhaust Debian's libhdf5 1.10.8 (libFuzzer findings, FUZZING.md;
// natively scpt reads HDF5 in a child process, tests/tools/isolated_h5_test.cpp) uploaded to the
// page, whose libhdf5 is h5wasm's. One of them (endless_loop.h5) makes h5wasm's libhdf5 loop
// forever too: the page must notice the silence (here after ?hdf5Timeout=3 s instead of 120 s),
// replace its worker, say which file is damaged, keep what it had and take the next good file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openApp, dataPath, ROOT, act, errorText as shownError } from './harness.mjs';

const GOOD = dataPath('seurat_pbmc_small_unlabeled');
const CRASHES = path.join(ROOT, 'tests', 'tools', 'h5_library_crashes');
const skip = GOOD ? false : 'shared data absent';
let app = null, page = null;
const pageErrors = [];

before(async () => {
  if (skip) return;
  app = await openApp({ query: '?hdf5Timeout=3' });
  page = app.page;
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});
after(async () => { if (app) await app.close(); });

const errorText = () => shownError(page);
const queryInfo = () => page.evaluate(() => {
  const el = document.querySelector('[data-testid=query-info], #query-info');
  return el && !el.hidden ? el.textContent : '';
});
const upload = (files) => act(page, () => page.setInputFiles('[data-testid=query-input]', files), 60000);
const goodQuery = () => ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((n) => path.join(GOOD, n));

test('a good query first', { skip }, async () => {
  assert.equal(await upload(goodQuery()), 'done', await errorText());
  assert.match(await queryInfo(), /80 cells × 230 genes/);
});

test('libhdf5 looping forever: an error naming the file after the silence, the page keeps its query', { skip }, async () => {
  const t0 = Date.now();
  assert.equal(await upload(path.join(CRASHES, 'endless_loop.h5')), 'error');
  assert.match(await errorText(), /^endless_loop\.h5: the HDF5 library stopped responding while reading this file \(no answer in 3 s\)/);
  assert.ok(Date.now() - t0 < 30000, `took ${Date.now() - t0} ms`);
  assert.match(await queryInfo(), /80 cells × 230 genes/, 'the query loaded before is gone');
});

for (const name of ['division_by_zero', 'invalid_free', 'unbounded_allocation']) {
  test(`${name}.h5: a message naming the file or a loaded matrix, never a dead page`, { skip }, async () => {
    const got = await upload(path.join(CRASHES, `${name}.h5`));
    if (got === 'error') assert.match(await errorText(), new RegExp(`^${name}\\.h5: `));
    else assert.equal(got, 'done');
  });
}

test('the next good query loads, with no uncaught error on the way', { skip }, async () => {
  assert.equal(await upload(goodQuery()), 'done', await errorText());
  assert.match(await queryInfo(), /80 cells × 230 genes/);
  assert.deepEqual(pageErrors, []);
});
