// The teaching view (web/ui/teaching.js) on the example data: every step shows real content,
// computed in the tab. The pseudo-label maps use exactly the rule's k colours (counted in the
// canvas's pixels, k computed here from the rule: n/100, n/50, n/200 + 1, clamped to [2, n - 1]);
// the curve has one point per epoch and every epoch reached the page while training ran; the
// confusion counts sum to the cells and agree with the results' own table; every Unassigned
// cell (rule "either") has a reason the rule can give. Screenshots at laptop (1366x768) and phone (390x844) width in test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ARTIFACTS, openApp, foreignRequests } from './harness.mjs';
import { categoryColor, rgbOf } from '../../web/ui/palette.js';

const haveExamples = fs.existsSync(path.join(ROOT, 'web', 'examples', 'examples.json'));
const rule = (n) => [Math.floor(n / 100), Math.floor(n / 50), Math.floor(n / 200) + 1].map((k) => Math.max(2, Math.min(k, n - 1)));

// Which of the first `max` palette colours a canvas shows (its points are written pixel by pixel).
function coloursIn(page, selector, max = 24) {
  const palette = Array.from({ length: max }, (_, i) => rgbOf(categoryColor(i)));
  return page.$$eval(selector, (canvases, pal) => canvases.map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    const key = new Map(pal.map((p, i) => [(p[0] << 16) | (p[1] << 8) | p[2], i]));
    for (let i = 0; i < d.length; i += 4) {
      const k = key.get((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      if (k !== undefined) seen.add(k);
    }
    return { k: Number(c.dataset.k || 0), colours: [...seen].sort((a, b) => a - b) };
  }), palette);
}

// Sum of a confusion table's cells (row headers left out).
const tableSum = (page, selector) => page.$eval(selector, (t) => [...t.querySelectorAll('td')]
  .reduce((a, td) => a + (Number(td.textContent.replace(/,/g, '')) || 0), 0));

test('teaching view: pseudo-labels, both maps, a live curve, before/after, confusion and Unassigned reasons', async (t) => {
  if (!haveExamples) return t.skip('no example data (tools/make-examples needs ../shared/data)');
  const app = await openApp();
  const { page } = app;
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    assert.ok(await page.isHidden('#teaching'), 'no teaching view before there are cells');
    await page.selectOption('#example-choice', 'pbmc');
    await page.click('[data-testid=example-button]');
    await page.waitForFunction(() => !document.getElementById('results').hidden &&
      document.querySelector('[data-testid=status]').dataset.state === 'done', null, { timeout: 60000 });
    const cells = await page.evaluate(() => Number(document.querySelector('#summary .figures b').textContent.replace(/,/g, '')));
    assert.ok(cells > 50, `the example's query has its cells (${cells})`);

    // "Unassigned when: either" (Options): on this example some cells are then Unassigned (5 with
    // full fine-tuning, seed 0, in the module under node), so step 5 lists them with their reasons.
    await page.evaluate(() => {
      const u = document.getElementById('unknown');
      u.value = 'either';
      u.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.click('[data-testid=teach-button]');
    await page.waitForSelector('#teaching[data-done=true]', { state: 'attached', timeout: 60000 });
    assert.equal(await page.getAttribute('[data-testid=status]', 'data-state'), 'done');

    // 1. three maps, each with exactly the rule's k colours.
    const pseudo = await coloursIn(page, '[data-testid=teach-pseudo-map]');
    assert.equal(pseudo.length, 3);
    assert.deepEqual(pseudo.map((p) => p.k), rule(cells));
    for (const p of pseudo) assert.deepEqual(p.colours, Array.from({ length: p.k }, (_, i) => i), 'one colour per pseudo-label group');

    // 2. the expression's map and the encoder's, coloured by the example's five known types.
    const types = await page.$$eval('[data-testid=teach-maps] .teach-legend li', (li) => li.length);
    assert.equal(types, 5);
    const maps = await coloursIn(page, '[data-testid=teach-pca-map], [data-testid=teach-encoder-map]');
    assert.equal(maps.length, 2, 'both maps drawn (the shipped model fits the example)');
    for (const m of maps) assert.equal(m.colours.length, types);

    // 3. one point per epoch on both curves, every epoch seen live.
    const curve = await page.$eval('[data-testid=teach-curve-svg]', (s) => ({
      epochs: Number(s.dataset.epochs),
      lines: [...s.querySelectorAll('polyline')].map((p) => p.getAttribute('points').trim().split(/\s+/).length),
      live: Number(document.getElementById('teaching').dataset.liveEpochs),
    }));
    assert.ok(curve.epochs > 30, `full fine-tuning ran past its patience (${curve.epochs} epochs)`);
    assert.deepEqual(curve.lines, [curve.epochs, curve.epochs]);
    assert.equal(curve.live, curve.epochs, 'every epoch reached the page while training ran');

    // 4. before and after fine-tuning, the same cells.
    const ba = await coloursIn(page, '[data-testid=teach-before-map], [data-testid=teach-after-map]');
    assert.equal(ba.length, 2);
    for (const m of ba) assert.ok(m.colours.length >= 3, 'the known types show on both maps');

    // 5. the confusion matrix sums to the cells; Unassigned cells each have a reason.
    assert.equal(await tableSum(page, '[data-testid=teach-confusion]'), cells);
    assert.equal(await tableSum(page, '#confusion'), cells, 'the results\' own table too');
    const unassignedColumn = await page.$eval('[data-testid=teach-confusion]', (tb) => [...tb.rows].slice(1)
      .reduce((a, r) => a + (Number(r.cells[r.cells.length - 1].textContent) || 0), 0));
    const reasons = await page.$$eval('[data-testid=teach-reasons] li[data-reason]', (li) => li.map((l) => Number(l.dataset.count)));
    assert.ok(unassignedColumn > 0, 'some cells are Unassigned under "either"');
    assert.equal(reasons.reduce((a, b) => a + b, 0), unassignedColumn);
    const names = await page.$$eval('[data-testid=teach-reasons] li[data-reason]', (li) => li.map((l) => l.dataset.reason));
    for (const n of names) assert.ok(['atypical', 'low-probability', 'atypical-and-low-probability'].includes(n), n);
    const listed = await page.$$eval('[data-testid=teach-unassigned-cells] tr', (tr) => Math.max(0, tr.length - 1));
    assert.equal(listed, Math.min(200, unassignedColumn));

    assert.deepEqual(foreignRequests(app.requests), []);
    assert.deepEqual(app.consoleErrors, []);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('#teaching').screenshot({ path: path.join(ARTIFACTS, 'teaching-laptop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);  // the maps redraw at their new size
    await page.locator('#teaching').screenshot({ path: path.join(ARTIFACTS, 'teaching-phone.png') });
    // Wide tables scroll inside their own box; the view itself fits the phone.
    const overflow = await page.$eval('#teaching', (e) => Math.max(e.getBoundingClientRect().right - window.innerWidth,
      e.scrollWidth - e.clientWidth));
    assert.ok(overflow <= 0, `the teaching view fits a phone (${overflow} px too wide)`);
    // So does the page around it: no sideways scrolling of the whole page (steps, results).
    const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(pageOverflow <= 0, `the page fits a phone (${pageOverflow} px too wide)`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'page-phone.png'), fullPage: false });
  } finally {
    await app.close();
  }
});
