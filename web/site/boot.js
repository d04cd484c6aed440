// The static site's start (dist/ only; tools/dist puts it in the page's head, before the app):
// registers the site's service worker (sw.js), which caches the release for offline use and adds
// the COOP/COEP headers a plain static host does not send. A page opened before the worker
// controlled it is not cross-origin isolated (isolation is decided when a document is created),
// so it reloads once, then runs threaded. Where service workers are unavailable (an http:// address
// other than localhost, some private modes) the page stays single-threaded. What happened is left
// in <html data-isolation> for the engine badge.
(() => {
  const html = document.documentElement;
  const KEY = 'scpt-isolation-reload';
  // The note for the badge; written into it too when the engine started before the note was known.
  const note = (s) => {
    html.dataset.isolation = s;
    const badge = document.getElementById('engine');
    if (badge && document.body.dataset.engine === 'ready' && !badge.textContent.endsWith(s)) badge.textContent += ` · ${s}`;
  };
  const session = {
    get: () => { try { return sessionStorage.getItem(KEY); } catch { return '1'; } },  // no storage: never loop
    set: (v) => { try { if (v) sessionStorage.setItem(KEY, v); else sessionStorage.removeItem(KEY); } catch { /* none */ } },
  };
  const sw = 'serviceWorker' in navigator ? navigator.serviceWorker : null;
  const url = html.dataset.serviceWorker;
  if (self.crossOriginIsolated) {
    session.set('');
    note(sw && sw.controller ? 'isolated by service worker' : 'isolated by server');
  } else if (!sw || !url) {
    note('no service worker');
  } else {
    note('service worker not active');  // until it reloads the page isolated (or says why not, below)
  }
  if (!sw || !url) return;
  sw.register(url).then((reg) => {
    if (self.crossOriginIsolated) return;  // registered for offline use only
    if (session.get()) {  // reloaded once already and still not isolated: stay on one thread
      html.dataset.isolation = '';
      note('service worker did not isolate');
      return;
    }
    const reload = () => { session.set('1'); location.reload(); };
    if (reg.active) return reload();
    const w = reg.installing || reg.waiting;
    w.addEventListener('statechange', () => { if (w.state === 'activated') reload(); });
  }, () => note('service worker refused'));
})();
