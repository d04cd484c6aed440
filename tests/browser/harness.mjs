// Shared set-up of the browser tests: the app's own server on a free loopback port, Debian's
// Chromium driven by playwright-core (never a downloaded browser), a log of every request the
// page makes, and screenshots under test-artifacts/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA = process.env.SCPT_DATA || path.resolve(ROOT, '..', 'shared', 'data');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

// Path of a shared dataset file, or null when the data folder is absent (the test then skips).
export function dataPath(...parts) {
  const p = path.join(DATA, ...parts);
  return fs.existsSync(p) ? p : null;
}

export async function startServer({ isolation = true, root = path.join(ROOT, 'web') } = {}) {
  const proc = spawn(process.execPath, [path.join(ROOT, 'tools', 'web-server.mjs'), '--port', '0', '--root', root,
    ...(isolation ? [] : ['--no-isolation'])],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) resolve(m[0]);
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, stop: () => proc.kill('SIGTERM') };
}

// `query`: appended to the page's address (e.g. '?hdf5Timeout=3').
export async function openApp({ isolation = true, query = '' } = {}) {
  if (!fs.existsSync(path.join(ROOT, 'web', 'gen', 'scpt.js'))) throw new Error('web/gen/scpt.js missing: run tools/wasm-build');
  const server = await startServer({ isolation });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1360, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-default-browser-check'],
  });
  const page = context.pages()[0] || (await context.newPage());
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const fail = async (e) => {
    await context.close().catch(() => {});
    server.stop();
    throw e;
  };
  await page.goto(server.url + query).catch(fail);
  await page.waitForSelector('body[data-engine=ready]', { state: 'attached', timeout: 30000 }).catch((e) =>
    fail(new Error(`the engine did not start: ${consoleErrors.join(' | ') || e.message}`)));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page, url: server.url, requests, consoleErrors,
    screenshot: (name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true }),
    async close() {
      await context.close();
      server.stop();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Requests that left this machine (anything but the loopback server, blob: and data: URLs).
export function foreignRequests(requests) {
  return requests.filter((u) => {
    const url = new URL(u);
    if (url.protocol === 'blob:' || url.protocol === 'data:') return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  });
}

// Waits until the status leaves "running" and returns its state.
export async function settled(page, timeout = 120000) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=status]').dataset.state;
    return s !== 'running';
  }, null, { timeout });
  // Let a smooth scroll to the results finish, so later clicks land where they aim.
  await page.waitForFunction(() => new Promise((resolve) => {
    const y = window.scrollY;
    setTimeout(() => resolve(window.scrollY === y), 120);
  }), null, { timeout: 10000 });
  return page.getAttribute('[data-testid=status]', 'data-state');
}

// Does one step (an upload, a click) and waits until the page has settled on its outcome; returns
// the status's state. The status is marked first, so an outcome equal to the previous one (an error
// after an error) is not mistaken for it.
export async function act(page, step, timeout = 120000) {
  await page.evaluate(() => { document.querySelector('[data-testid=status]').dataset.state = 'stale'; });
  await step();
  await page.waitForFunction(() => !['stale', 'running'].includes(document.querySelector('[data-testid=status]').dataset.state),
    null, { timeout });
  return page.getAttribute('[data-testid=status]', 'data-state');
}

// The error message the page shows ('' when none).
// Clicks a download button and saves the file as dir/name: {file, name: the page's suggested name}.
export async function saveDownload(page, selector, dir, name, timeout = 120000) {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout }), page.click(selector)]);
  const file = path.join(dir, name);
  await d.saveAs(file);
  return { file, name: d.suggestedFilename() };
}

export function errorText(page) {
  return page.evaluate(() => {
    const e = document.querySelector('[data-testid=error]');
    return e && !e.hidden ? e.textContent : '';
  });
}

// Clicks `selector` and waits for the run to settle, recording every text the status showed on
// the way. Returns {state, log}.
export async function clickLoggingStatus(page, selector) {
  await page.evaluate(() => {
    window.statusLog = [];
    const s = document.querySelector('[data-testid=status]');
    new MutationObserver(() => window.statusLog.push(s.textContent)).observe(s, { childList: true, characterData: true, subtree: true });
  });
  await page.click(selector);
  const state = await settled(page);
  return { state, log: await page.evaluate(() => window.statusLog) };
}

// Debian's Chromium with a fresh profile, as openApp launches it; `args` are added to Chromium's,
// other `options` go to playwright. Returns {context, page, requests, consoleErrors, screenshot, close}.
export async function launchBrowser({ args = [], ...options } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'scpt-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1360, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-default-browser-check', ...args],
    ...options,
  });
  const page = context.pages()[0] || (await context.newPage());
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context, page, requests, consoleErrors,
    screenshot: (name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true }),
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
