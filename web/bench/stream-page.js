// The benchmark page's side: hands the chosen files to the worker and shows its figures; sets
// body[data-state] to ready / running / done / error for the driver script.
'use strict';
const worker = new Worker('stream-worker.js', { type: 'module' });
const status = document.getElementById('status');
const out = document.getElementById('out');
let frames = [];
worker.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'ready') { document.body.dataset.state = 'ready'; status.textContent = `module ${m.module}, ${m.threads} threads`; }
  else if (m.type === 'progress') status.textContent = `${m.stage} ${(100 * m.fraction).toFixed(0)}% ${m.message || ''}`;
  else if (m.type === 'result') {
    m.value.frameMsMax = frames.length ? Math.max(...frames) : null;
    window.benchResult = m.value; out.textContent = JSON.stringify(m.value, null, 1); document.body.dataset.state = 'done';
  } else if (m.type === 'error') { window.benchError = `${m.name}: ${m.message}`; out.textContent = window.benchError; document.body.dataset.state = 'error'; }
};
// The page's own frame times while the worker works: the tab must stay responsive.
let last = performance.now();
function tick(t) { if (document.body.dataset.state === 'running') frames.push(t - last); last = t; requestAnimationFrame(tick); }
requestAnimationFrame(tick);
document.getElementById('run').onclick = () => {
  frames = [];
  document.body.dataset.state = 'running';
  worker.postMessage({ op: 'run', ref: [...document.getElementById('ref').files], query: [...document.getElementById('query').files],
    model: document.getElementById('model').files[0] || null,
    keepEmbedding: location.hash.includes('embedding') });
};
