// Builds dist/: the web app as plain files any static host serves as they are (see tools/dist).
//   dist/index.html          the page; its CSP as a <meta> (a static host may send no headers); it
//                            loads everything else from the release's versioned folder
//   dist/sw.js               the service worker (web/site/sw.js + this release's name and file list)
//   dist/v<version>-<hash>/  web/ without its dev-only parts, with web/gen (modules, model, h5wasm)
//                            and web/examples; <hash> covers every byte, so a new release never
//                            shares a URL (or a cache entry) with an old one
// Usage: node tools/dist.mjs [--out DIR]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP, META_CSP } from './csp.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');
const args = process.argv.slice(2);
const out = path.resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : path.join(ROOT, 'dist'));
// Not part of the site: the benchmark page, the dev builds of the module (wasm/dev/: test-only and
// bench-only entry points), notes for developers, the site's own start files
// (placed by hand below), the classic single-threaded glue (the module worker imports
// gen/scpt.esm.js; only the threaded module's pthread workers load a classic glue, gen/scpt-mt.js).
const SKIP = new Set(['bench', 'gen/dev', 'ARCHITECTURE.md', 'index.html', 'site/sw.js', 'gen/scpt.js']);

function fail(msg) { console.error(`dist: ${msg}`); process.exit(1); }

function listFiles(dir, rel = '') {
  const files = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (SKIP.has(r)) continue;
    if (e.isDirectory()) files.push(...listFiles(dir, r));
    else if (e.isFile()) files.push(r);
  }
  return files;
}

for (const need of ['gen/scpt.esm.js', 'gen/scpt.wasm', 'gen/scpt-mt.js', 'gen/scpt-mt.esm.js', 'gen/scpt-mt.wasm',
  'gen/scpt-mt.worker.js', 'gen/models.json', 'gen/h5wasm/hdf5_hl.js', 'gen/h5wasm/hdf5_util.js']) {
  if (!fs.existsSync(path.join(WEB, need))) fail(`web/${need} missing: run tools/wasm-build (after npm ci)`);
}
const version = (fs.readFileSync(path.join(ROOT, 'CMakeLists.txt'), 'utf8').match(/project\(\S+\s+VERSION\s+([0-9.]+)/) || [])[1];
if (!version) fail('no project VERSION in CMakeLists.txt');

const files = listFiles(WEB);
const hash = crypto.createHash('sha256');
for (const f of files) hash.update(f).update('\0').update(fs.readFileSync(path.join(WEB, f))).update('\0');
const folder = `v${version}-${hash.digest('hex').slice(0, 10)}`;

fs.rmSync(out, { recursive: true, force: true });
for (const f of files) {
  const dest = path.join(out, folder, f);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(path.join(WEB, f), dest);
}

// The page: its own files from the versioned folder, the CSP as a <meta>, the service worker's start first.
let html = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
const must = (re, to) => {
  if (!re.test(html)) fail(`web/index.html: ${re} not found`);
  html = html.replace(re, to);
};
must(/<html lang="en">/, '<html lang="en" data-service-worker="sw.js">');
html = html.replace(/\b(href|src)="(?![a-z]+:|\/|#)([^"]+)"/g, (_, attr, url) => `${attr}="${folder}/${url}"`);
must(/(<meta name="viewport"[^>]*>)/, `$1\n  <meta http-equiv="Content-Security-Policy" content="${META_CSP}">`);
must(/(\n\s*<script type="module")/, `\n  <script src="${folder}/site/boot.js"></script>$1`);
fs.writeFileSync(path.join(out, 'index.html'), html);

// The service worker, at the site's root so that its scope is the whole site. It fetches the page,
// code, both modules, the model and the example data when it installs; the HDF5 reader (5.7 MB with
// its plugins, needed only for .h5ad and .h5 files) is cached when first used.
const LAZY = ['gen/h5wasm/', 'gen/h5plugins/'];
const eager = files.filter((f) => !LAZY.some((l) => f.startsWith(l)));
const release = { cache: `scpt-${folder}`, folder, csp: CSP, files: ['index.html', ...eager.map((f) => `${folder}/${f}`)] };
fs.writeFileSync(path.join(out, 'sw.js'), `const RELEASE = ${JSON.stringify(release, null, 1)};\n${fs.readFileSync(path.join(WEB, 'site', 'sw.js'), 'utf8')}`);
fs.writeFileSync(path.join(out, '.nojekyll'), '');  // GitHub Pages: serve the files as they are

let bytes = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else bytes += fs.statSync(p).size; } };
walk(out);
// The size budget (BENCHMARKS.md, "The static site"): a release that outgrows it fails here.
const BUDGET = { total: 20e6, install: 10e6 };
const eagerBytes = eager.reduce((n, f) => n + fs.statSync(path.join(WEB, f)).size, fs.statSync(path.join(out, 'index.html')).size);
console.log(`dist: ${path.relative(process.cwd(), out) || out}/ (release ${folder}): ${files.length + 2} files, ${bytes} bytes; ` +
  `the service worker fetches ${eager.length + 1} files, ${eagerBytes} bytes, at install`);
if (bytes > BUDGET.total) fail(`dist/ is ${bytes} bytes, over its budget of ${BUDGET.total}`);
if (eagerBytes > BUDGET.install) fail(`the service worker's install fetch is ${eagerBytes} bytes, over its budget of ${BUDGET.install}`);
