// A 10x folder as users download it, dropped whole on the page: a .tar.gz and a .zip (built at
// test time from the real fixtures) read the same cells x genes as the folder's three files, and
// an archive with filtered and raw matrices reads the filtered one and says so. The page runs
// without cross-origin isolation here (the single-threaded module, which tools/wasm-build
// --no-threads makes): reading is the same code in both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, dataPath, settled } from './harness.mjs';

let app, page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-archive-'));

before(async () => {
  app = await openApp({ isolation: false });
  page = app.page;
});

after(async () => {
  if (app) await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const text = (id) => page.textContent(`[data-testid=${id}], #${id}`);
const dims = (s) => (s.match(/[\d,]+ cells × [\d,]+ genes/) || [s])[0];

function place(src, name) {
  const dir = path.join(tmp, 'outs', name);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
}

function zip(out, folder) {
  execFileSync('python3', ['-c', `import zipfile,os,sys
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)
for r,_,fs in os.walk(sys.argv[2]):
  [z.write(os.path.join(r,f)) for f in fs]
z.close()`, out, folder], { cwd: tmp });
}

test('a .tar.gz and a .zip of a 10x folder read as the folder; with raw beside it, the filtered one is read and said', async (t) => {
  const v3 = dataPath('fixtures', 'scanpy_10x', '3.0.0', 'filtered_feature_bc_matrix');
  const other = dataPath('fixtures', 'seurat_testdata', 'cr3.0');
  if (!v3 || !other) return t.skip('shared data absent');
  await page.setInputFiles('[data-testid=query-input]', ['matrix.mtx.gz', 'features.tsv.gz', 'barcodes.tsv.gz'].map((f) => path.join(v3, f)));
  assert.equal(await settled(page), 'done', await text('error'));
  const folder = dims(await text('query-info'));
  assert.match(folder, /cells × .* genes/);

  place(v3, 'filtered_feature_bc_matrix');
  execFileSync('tar', ['-czf', 'one.tar.gz', 'outs'], { cwd: tmp });
  zip('one.zip', 'outs');
  for (const name of ['one.tar.gz', 'one.zip']) {
    await page.setInputFiles('[data-testid=query-input]', path.join(tmp, name));
    assert.equal(await settled(page), 'done', `${name}: ${await text('error')}`);
    assert.equal(dims(await text('query-info')), folder, name);
  }

  place(other, 'raw_feature_bc_matrix');
  execFileSync('tar', ['-czf', 'both.tar.gz', 'outs'], { cwd: tmp });
  await page.setInputFiles('[data-testid=query-input]', path.join(tmp, 'both.tar.gz'));
  assert.equal(await settled(page), 'done', await text('error'));
  const info = await text('query-info');
  assert.equal(dims(info), folder);
  assert.match(info, /both\.tar\.gz: holds 2 matrices .*read the filtered one, outs\/filtered_feature_bc_matrix\//);

  // Cut short: refused in core's words, naming the archive.
  fs.writeFileSync(path.join(tmp, 'cut.zip'), fs.readFileSync(path.join(tmp, 'one.zip')).subarray(0, 3000));
  await page.setInputFiles('[data-testid=query-input]', path.join(tmp, 'cut.zip'));
  assert.equal(await settled(page), 'error');
  assert.match(await text('error'), /cut\.zip: is damaged/);
});
