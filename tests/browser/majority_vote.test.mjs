// The page's majority voting (Options: "majority voting over small clusters of your cells", as
// `scpt annotate --majority-voting`): one 10x folder with three quarters of its cells labelled,
// annotated twice with the same seed, without and with the vote. The voted download's cell_label
// is the first run's label, each over-cluster carries one label (or, tied, its cells' own), the
// vote changed some cells, and the labels are the CLI's (when build/bin/scpt is there).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { openApp, dataPath, act, ROOT, saveDownload } from './harness.mjs';

let app, page;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-browser-vote-'));
const dir = dataPath('pbmc3k_seurat_labels');
const SCPT = process.env.SCPT_BIN || path.join(ROOT, 'build', 'bin', 'scpt');

before(async () => {
  app = await openApp({ isolation: false });
  page = app.page;
});

after(async () => {
  if (app) await app.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const error = () => page.textContent('[data-testid=error]');

const saved = async (selector, name) => (await saveDownload(page, selector, tmp, name)).file;

async function tsv() {
  const file = await saved('[data-testid=download-predictions]', 'predictions.tsv');
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  return { file, header: lines[0], rows: lines.slice(1).map((l) => l.split('\t')) };
}

test('majority voting changes labels by over-cluster and keeps each cell\'s own in cell_label', async (t) => {
  if (!dir) return t.skip('shared data absent');
  const all = fs.readFileSync(path.join(dir, 'labels.tsv'), 'utf8').trim().split('\n');
  const partial = path.join(tmp, 'partial.tsv');
  fs.writeFileSync(partial, all.filter((_, i) => i % 4 !== 0).join('\n') + '\n');
  const files = ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'].map((f) => path.join(dir, f));
  assert.equal(await act(page, () => page.setInputFiles('[data-testid=reference-input]', files)), 'done', await error());
  assert.equal(await act(page, () => page.setInputFiles('[data-testid=labels-input]', partial)), 'done', await error());
  assert.equal(await act(page, () => page.click('[data-testid=annotate-button]'), 180000), 'done', await error());
  const plain = await tsv();
  assert.equal(plain.header, 'barcode\tlabel\tconfidence');

  await page.click('.options summary');
  await page.check('[data-testid=majority-voting]');
  assert.equal(await act(page, () => page.click('[data-testid=annotate-button]'), 180000), 'done', await error());
  assert.match(await page.textContent('[data-testid=summary], #summary'), /Majority voting: .*\(\d+ clusters of your cells\)/);
  const heads = await page.$$eval('#table .vtable-head .vtable-cell', (b) => b.map((x) => x.textContent.trim()));
  assert.ok(heads.some((h) => /^Own label/.test(h)), heads.join(','));
  const voted = await tsv();
  assert.equal(voted.header, 'barcode\tlabel\tconfidence\tcell_label\tover_cluster');
  assert.equal(voted.rows.length, plain.rows.length);
  // Same seed, same cells: each cell's own label is the label of the run without the vote.
  assert.deepEqual(voted.rows.map((r) => [r[0], r[3]]), plain.rows.map((r) => [r[0], r[1]]));
  // One label per over-cluster, or (a tie) its cells' own labels.
  const clusters = new Map();
  for (const [, label, , own, c] of voted.rows) {
    assert.match(c, /^\d+$/);
    if (!clusters.has(c)) clusters.set(c, []);
    clusters.get(c).push([label, own]);
  }
  for (const [c, cells] of clusters) {
    const one = cells.every(([l]) => l === cells[0][0]), own = cells.every(([l, o]) => l === o);
    assert.ok(one || own, `over-cluster ${c}: ${JSON.stringify(cells.slice(0, 6))}`);
  }
  assert.ok(clusters.size > 5, `${clusters.size} over-clusters`);
  const changed = voted.rows.filter((r) => r[1] !== r[3]).length;
  assert.ok(changed > 0, 'the vote changed no cell');

  // The .h5ad carries the vote too: anndata reads the TSV's labels, and scpretrain_cell_label
  // (the readback checks the closest type against the cells' own labels).
  let anndata = true;
  try { execFileSync('/usr/bin/python3', ['-c', 'import anndata'], { stdio: 'ignore' }); } catch { anndata = false; }
  if (anndata) {
    const h5ad = await saved('[data-testid=download-h5ad]', 'voted.h5ad');
    const back = execFileSync('/usr/bin/python3', [path.join(ROOT, 'tests', 'tools', 'h5ad_readback.py'), h5ad, voted.file,
      '--map', '--embedding'], { encoding: 'utf8' });
    assert.match(back, new RegExp(`^ok: ${voted.rows.length} cells`));
    const cols = execFileSync('/usr/bin/python3', ['-c', 'import sys, anndata; a = anndata.read_h5ad(sys.argv[1]); ' +
      'print(list(a.obs["scpretrain_cell_label"].astype(str)) == sys.argv[2].split("|"), a.obs["scpretrain_over_cluster"].dtype)',
    h5ad, voted.rows.map((r) => r[3]).join('|')], { encoding: 'utf8' });
    assert.equal(cols.trim(), 'True int32');
  }

  // The CLI's majority voting on the same inputs: the same labels (the module is the core).
  if (!fs.existsSync(SCPT)) return;
  const out = path.join(tmp, 'cli.tsv');
  execFileSync(SCPT, ['--quiet', 'annotate', '--reference', dir, '--labels', partial, '--model',
    path.join(ROOT, 'web', 'gen', 'models', 'default.scpt'), '--majority-voting', '--out', out], { stdio: 'ignore' });
  const cli = new Map(fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')).map((r) => [r[0], r[1]]));
  const same = voted.rows.filter((r) => cli.get(r[0]) === r[1]).length;
  assert.ok(same >= 0.99 * voted.rows.length, `${same} of ${voted.rows.length} labels as scpt annotate --majority-voting`);
});
