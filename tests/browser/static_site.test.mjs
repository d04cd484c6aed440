// The static site (tools/dist) on a plain static server that sends no special headers
// (python3 -m http.server): its service worker makes the page cross-origin isolated (one reload),
// the example button annotates with the same labels as tools/serve's isolated page, the site works
// offline after the first visit, nothing leaves the machine; without service workers it runs on
// one thread and says so. Screenshots in test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, openApp, launchBrowser, foreignRequests, startServer } from './harness.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-dist-'));
const dist = path.join(tmp, 'dist');
let server = null;

// python3 -m http.server on a free loopback port: plain files, no COOP/COEP, no CSP header.
async function plainServer(dir, port = 0) {
  const proc = spawn('/usr/bin/python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', dir, String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/port (\d+)/);
      if (m) resolve(`http://127.0.0.1:${m[1]}/`);
    });
    proc.on('exit', (code) => reject(new Error(`http.server exited with ${code}`)));
  });
  return { url, stop: () => new Promise((resolve) => { proc.once('exit', resolve); proc.kill('SIGTERM'); }) };
}

// Waits, across the service worker's one reload, until the engine of an isolated (or not) page is up.
async function engineUp(page, isolated) {
  for (let i = 0; i < 50; i++) {
    try {
      await page.waitForFunction((iso) => document.body && document.body.dataset.engine === 'ready' && self.crossOriginIsolated === iso,
        isolated, { timeout: 60000 });
      return;
    } catch (e) {
      if (!/context was destroyed|navigation/i.test(e.message)) throw e;  // the reload: wait on the new page
    }
  }
}

// Presses "Try it with example data" (the `name` example) and returns the downloaded labels by barcode.
async function runExample(page, name = 'pbmc') {
  await page.waitForSelector('[data-testid=example-button]');
  await page.selectOption('#example-choice', name);
  // Results of an earlier run stay on the page: hidden here, shown again only by this run's result.
  await page.evaluate(() => { document.getElementById('results').hidden = true; });
  await page.click('[data-testid=example-button]');
  await page.waitForFunction(() => !document.getElementById('results').hidden &&
    document.querySelector('[data-testid=status]').dataset.state === 'done', null, { timeout: 120000 });
  const [d] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-predictions]')]);
  const rows = fs.readFileSync(await d.path(), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  return { labels: new Map(rows.map((r) => [r[0], r[1]])), accuracy: await page.textContent('[data-testid=accuracy]') };
}

function sameLabels(a, b) {
  assert.equal(a.size, b.size);
  let same = 0;
  for (const [k, v] of a) same += b.get(k) === v;
  return same;
}

let reference = null;  // the example's labels on tools/serve's isolated page (web/, headers)
before(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'tools', 'dist.mjs'), '--out', dist], { stdio: ['ignore', 'ignore', 'inherit'] });
  const app = await openApp();
  try {
    reference = await runExample(app.page);
  } finally {
    await app.close();
  }
});
after(async () => {
  if (server) await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('dist/ holds plain files: one page, a service worker and one versioned folder', () => {
  const top = fs.readdirSync(dist).sort();
  const folder = top.find((f) => /^v\d+\.\d+\.\d+-[0-9a-f]{10}$/.test(f));
  assert.ok(folder, `no versioned folder in ${top}`);
  assert.deepEqual(top, ['.nojekyll', 'index.html', 'sw.js', folder].sort());
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'self';/);
  // Every file the page names comes from this release's folder.
  for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) if (!m[1].startsWith('data:')) assert.ok(m[1].startsWith(`${folder}/`), m[1]);
  for (const f of ['gen/scpt.wasm', 'gen/scpt-mt.wasm', 'gen/models/default.scpt', 'examples/pbmc/query/matrix.mtx.gz', 'site/boot.js'])
    assert.ok(fs.existsSync(path.join(dist, folder, f)), f);
});

test('tools/serve serves dist/ as it is: isolated by its headers, the service worker registered', async () => {
  const srv = await startServer({ root: dist });
  const b = await launchBrowser();
  try {
    await b.page.goto(srv.url);
    await engineUp(b.page, true);
    assert.match(await b.page.textContent('#engine'), /WebAssembly · SIMD · [2-8] threads · v[\d.]+ · isolated by server$/);
    await b.page.waitForFunction(() => navigator.serviceWorker.ready.then((r) => !!r.active), null, { timeout: 30000 });
    assert.deepEqual(foreignRequests(b.requests), []);
    assert.deepEqual(b.consoleErrors, []);
  } finally {
    await b.close();
    srv.stop();
  }
});

test('on a plain static host the service worker isolates the page, which annotates as tools/serve does, and works offline', async () => {
  server = await plainServer(dist);
  const res = await fetch(server.url);
  assert.equal(res.headers.get('cross-origin-embedder-policy'), null, 'the plain server must not isolate by itself');
  assert.equal(res.headers.get('content-security-policy'), null);
  const b = await launchBrowser();
  try {
    await b.page.goto(server.url);
    await engineUp(b.page, true);
    assert.match(await b.page.textContent('#engine'), /WebAssembly · SIMD · [2-8] threads · v[\d.]+ · isolated by service worker/);
    const online = await runExample(b.page);
    const same = sameLabels(online.labels, reference.labels);
    console.log(`static site (service worker, threads) vs tools/serve: ${same} of ${reference.labels.size} labels alike; ${online.accuracy}`);
    assert.equal(same, reference.labels.size);
    assert.match(online.accuracy, /Accuracy \d+(\.\d)?%/);
    await b.screenshot('static-site-example');

    // Offline: the host is gone and the network too; the cached release reloads and annotates.
    const url = server.url;
    await server.stop();
    server = null;
    assert.equal(await fetch(url).then(() => 'reached', () => 'unreachable'), 'unreachable');
    await b.context.setOffline(true);
    await b.page.reload();
    await engineUp(b.page, true);
    const offline = await runExample(b.page, 'pbmc');
    assert.equal(sameLabels(offline.labels, reference.labels), reference.labels.size);
    await b.screenshot('static-site-offline');
    assert.deepEqual(foreignRequests(b.requests), []);
    assert.deepEqual(b.consoleErrors, []);
  } finally {
    await b.close();
  }
});

test('where service workers are unavailable the static site runs on one thread, says so, and gives the same labels', async () => {
  // Browsers offer service workers to secure contexts only: the site under a name other than
  // localhost over plain http (as on a lab's intranet) has none, nor isolation.
  server = await plainServer(dist);
  const b = await launchBrowser({ args: ['--host-resolver-rules=MAP cells.example 127.0.0.1'] });
  try {
    await b.page.goto(server.url.replace('127.0.0.1', 'cells.example'));
    await engineUp(b.page, false);
    assert.equal(await b.page.evaluate(() => 'serviceWorker' in navigator), false);
    assert.match(await b.page.textContent('#engine'), /^WebAssembly · SIMD · 1 thread · v[\d.]+ · no service worker$/);
    const single = await runExample(b.page, 'pbmc');
    const same = sameLabels(single.labels, reference.labels);
    console.log(`static site (one thread) vs tools/serve (threads): ${same} of ${reference.labels.size} labels alike`);
    assert.ok(same / reference.labels.size >= 0.99, `${same} of ${reference.labels.size}`);
    const pancreas = await runExample(b.page, 'pancreas');
    console.log(`pancreas example (Baron -> Segerstolpe): ${pancreas.accuracy}`);
    assert.equal(pancreas.labels.size, 60);
    await b.screenshot('static-site-single-thread');
    assert.deepEqual(foreignRequests(b.requests.filter((u) => new URL(u).hostname !== 'cells.example')), []);
    assert.deepEqual(b.consoleErrors, []);
  } finally {
    await b.close();
    await server.stop();
    server = null;
  }
});

// A new release on the host: the open tab keeps its release; its reload gets the new page with the
// new release's files only (never the old folder, gone from the host); the new worker takes over
// once no tab of the old is open and leaves only its own cache.
test('a new release never mixes with the cached old one', async () => {
  const site = path.join(tmp, 'site');
  fs.cpSync(dist, site, { recursive: true });
  const oldFolder = fs.readdirSync(site).find((f) => f.startsWith('v'));
  server = await plainServer(site);
  const b = await launchBrowser();
  try {
    await b.page.goto(server.url);
    await engineUp(b.page, true);
    assert.deepEqual(await b.page.evaluate(() => caches.keys()), [`scpt-${oldFolder}`]);
    // Redeploy as a host would: the old folder gone, a new one (other hash) with its page and worker.
    const newFolder = oldFolder.replace(/-[0-9a-f]{10}$/, '-0123456789');
    fs.renameSync(path.join(site, oldFolder), path.join(site, newFolder));
    for (const f of ['index.html', 'sw.js']) {
      const p = path.join(site, f);
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replaceAll(oldFolder, newFolder));
    }
    const before = b.requests.length;
    await b.page.reload();
    await engineUp(b.page, true);
    const after = b.requests.slice(before).filter((u) => u.startsWith(server.url) && /\/v\d/.test(u));
    assert.ok(after.length > 0);
    assert.deepEqual(after.filter((u) => !u.startsWith(`${server.url}${newFolder}/`)), []);
    // The new worker waits while the old release's tab is open, and takes over in a new tab after it.
    const swState = () => b.page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update().then(() => r)).then((r) => ({
      active: r.active && r.active.scriptURL, waiting: !!(r.waiting || r.installing) })));
    assert.equal((await swState()).waiting, true);
    await b.page.close();
    const page = await b.context.newPage();
    await page.goto(server.url);
    await page.waitForFunction((name) => caches.keys().then((k) => k.length === 1 && k[0] === name), `scpt-${newFolder}`, { timeout: 30000 });
    await page.reload();
    await engineUp(page, true);
    assert.match(await page.textContent('#engine'), /isolated by service worker/);
  } finally {
    await b.close();
    await server.stop();
    server = null;
  }
});
