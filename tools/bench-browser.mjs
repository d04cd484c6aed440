#!/usr/bin/env node
// Annotates streamed queries in headless Chromium (Debian's, through playwright-core) with the
// benchmark page web/bench/stream.html: the reference is read whole, the query's matrix File is
// streamed through the module (StreamAnnotate), never held whole. Prints one JSON line per run
// {name, value: seconds, unit, cells, threads, wasmMemoryMB, uaMemoryMB, frameMsMax, counts...}.
// Usage: node tools/bench-browser.mjs --ref DIR --query DIR[,DIR...] [--model FILE.scpt]
//        [--isolation both|on|off] [--embedding] [--timeout-min 60]
//        node tools/bench-browser.mjs --ui 10000,100000,1000000   (map and table, web/bench/ui.html)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, ROOT } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const ref = opt('--ref');
const queries = (opt('--query') || '').split(',').filter(Boolean);
const model = opt('--model');
const iso = opt('--isolation', 'both');
const timeout = Number(opt('--timeout-min', 60)) * 60000;
const uiSizes = (opt('--ui') || '').split(',').filter(Boolean).map(Number);
if (uiSizes.length) {
  for (const n of uiSizes) {
    const server = await startServer({ isolation: true });
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-bench-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, viewport: { width: 1000, height: 1100 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = context.pages()[0] || (await context.newPage());
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.url}bench/ui.html?n=${n}`);
      await page.waitForSelector('body[data-state=done]', { state: 'attached', timeout: 300000 }).catch(() => {
        throw new Error(errors.join(' | ') || 'ui bench did not finish');
      });
      const r = await page.evaluate(() => window.uiResult);
      for (const [k, v] of Object.entries(r)) {
        if (typeof v === 'number' && k.endsWith('Ms')) console.log(JSON.stringify({ name: `browser/ui/${k}/cells:${n}`, value: v, unit: 'ms' }));
      }
      console.log(JSON.stringify({ name: `browser/ui/mapDetail/cells:${n}`, value: r.mapDetail.shown, unit: 'points drawn',
        sampled: r.mapDetail.sampled, zoomed: r.mapZoomedDetail, lodPoints: r.lodPoints }));
    } catch (e) {
      console.log(JSON.stringify({ name: `browser/ui/cells:${n}`, value: null, unit: 'error', error: String(e.message || e).slice(0, 300) }));
    } finally {
      await context.close().catch(() => {});
      server.stop();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  }
  process.exit(0);
}
if (!ref || !queries.length) {
  console.error('usage: node tools/bench-browser.mjs --ref DIR --query DIR[,DIR...] [--model FILE] [--isolation both|on|off]');
  process.exit(2);
}
const filesOf = (d, re) => fs.readdirSync(d).filter((f) => re.test(f)).map((f) => path.join(d, f));
const refFiles = filesOf(ref, /^(matrix\.mtx|features\.tsv|genes\.tsv|barcodes\.tsv|labels\.tsv)(\.gz)?$/);

async function runOne(query, isolation) {
  const server = await startServer({ isolation });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    await page.goto(`${server.url}bench/stream.html`);
    await page.waitForSelector('body[data-state=ready]', { state: 'attached', timeout: 60000 });
    await page.setInputFiles('#ref', refFiles);
    await page.setInputFiles('#query', filesOf(query, /^(matrix\.mtx|features\.tsv|barcodes\.tsv)(\.gz)?$/));
    if (model) await page.setInputFiles('#model', model);
    if (args.includes('--embedding')) await page.evaluate(() => { location.hash = 'embedding'; });
    const t0 = Date.now();
    await page.click('#run');
    await page.waitForSelector('body[data-state=done], body[data-state=error]', { state: 'attached', timeout });
    const wall = (Date.now() - t0) / 1000;
    const err = await page.evaluate(() => window.benchError || null);
    if (err) throw new Error(err);
    const r = await page.evaluate(() => window.benchResult);
    return { wall, ...r };
  } finally {
    await context.close().catch(() => {});
    server.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

const modes = iso === 'both' ? [true, false] : [iso === 'on'];
// The page's StreamAnnotate is in the dev builds of the module (wasm/dev/): the threaded one only
// with tools/wasm-build --bench.
const need = modes.map((isolated) => (isolated ? 'scpt-mt-dev.js' : 'scpt-dev.js')).filter((f) => !fs.existsSync(path.join(ROOT, 'web', 'gen', 'dev', f)));
if (need.length) {
  console.log(JSON.stringify({ name: 'browser', value: null, unit: 'skipped', skipped: `web/gen/dev/${need.join(', ')} missing: run tools/wasm-build --bench` }));
  process.exit(0);
}
for (const q of queries) {
  for (const isolation of modes) {
    const tag = `browser/annotate_streamed/${path.basename(q)}/${isolation ? 'isolated' : 'not_isolated'}`;
    try {
      const r = await runOne(q, isolation);
      console.log(JSON.stringify({ name: tag, value: r.seconds.total, unit: 's', page_wall_s: r.wall, cells: r.cells,
        module: r.module, threads: r.threads, stream_s: r.seconds.stream, fit_s: r.seconds.fit, wasmMemoryMB: r.wasmMemoryMB,
        uaMemoryMB: r.uaMemoryMB, frameMsMax: r.frameMsMax, counts: r.counts, classes: r.classes, labelsChecksum: r.labelsChecksum,
        matrixTextMB: r.matrixTextBytes / 1048576 }));
    } catch (e) {
      console.log(JSON.stringify({ name: tag, value: null, unit: 'error', error: String(e.message || e).slice(0, 400) }));
    }
  }
}
