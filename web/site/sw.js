// The static site's service worker (dist/sw.js; tools/dist prepends `const RELEASE = {...}`: the
// cache name of this release, its files to fetch at install, and the Content-Security-Policy).
// 1. Cross-origin isolation on any static host: every same-origin response it hands the page gets
//    COOP/COEP (and CORP, the CSP, nosniff), the headers tools/serve sends, so the threaded module
//    runs where the host sends none (the technique of kana and coi-serviceworker, written anew).
// 2. Offline after the first visit: the release's files (page, code, modules, model, examples) are
//    cached at install; the HDF5 reader is cached on first use (a tab of an old release still open
//    after the host moved to a new one cannot fetch it if it was never used).
//    Versioned files come from the cache first; the page (index.html) from the network first, so a
//    new release is seen online and the cached page serves offline.
// A new release is a new versioned folder and a new cache name: its worker installs beside the old
// one and takes over only when no tab of the old release is open (no skipWaiting, no claim), then
// deletes the old caches, so a page never mixes files of two releases.
'use strict';

const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': RELEASE.csp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
const SCOPE = new URL('./', self.location.href).href;
const PAGE = SCOPE + 'index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(RELEASE.cache).then((c) => c.addAll(RELEASE.files.map((f) => SCOPE + f))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) =>
    Promise.all(keys.filter((k) => k.startsWith('scpt-') && k !== RELEASE.cache).map((k) => caches.delete(k)))));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || !req.url.startsWith(SCOPE)) return;  // the site's own files only
  event.respondWith(respond(req));
});

// The page itself (the site's address, with or without index.html and a query); a navigation to
// another file of the site (a README) is a file like any other.
function isPage(req) {
  const path = req.url.slice(SCOPE.length).split(/[?#]/)[0];
  return path === '' || path === 'index.html';
}

async function respond(req) {
  const cache = await caches.open(RELEASE.cache);
  const page = isPage(req);
  if (!page) {
    const hit = await cache.match(req);
    if (hit) return isolate(hit);
  }
  let r;
  try {
    r = await fetch(req);
  } catch (e) {
    const hit = page ? await cache.match(PAGE) : null;
    if (hit) return isolate(hit);
    throw e;
  }
  if (r.ok && r.type === 'basic') {
    if (page) await cache.put(PAGE, r.clone());
    else if (req.url.startsWith(SCOPE + RELEASE.folder + '/')) await cache.put(req, r.clone());
  }
  return isolate(r);
}

// The same response with the site's headers (an opaque response cannot be rebuilt; none is expected).
function isolate(r) {
  if (r.type === 'opaque' || r.type === 'opaqueredirect') return r;
  const headers = new Headers(r.headers);
  for (const [k, v] of Object.entries(HEADERS)) headers.set(k, v);
  return new Response(r.body, { status: r.status, statusText: r.statusText, headers });
}
