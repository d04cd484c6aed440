// "Try it with example data": fetches a shipped example (web/examples/, cut by tools/make-examples)
// and hands its files to the page's own inputs, as if the user had chosen them (reference + its
// labels, query + its known types), then presses Annotate once the page is ready for it. It goes
// through the same inputs as the user's files, so every step a user sees runs on the example too.
const $ = (id) => document.getElementById(id);
const PARTS = ['matrix.mtx.gz', 'features.tsv', 'barcodes.tsv'];

async function fetchFile(url, name) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return new File([await r.blob()], name);
}

// Gives files to a file input (DataTransfer is the one way to build a FileList) and fires its change.
function choose(testid, files) {
  const input = document.querySelector(`[data-testid=${testid}]`);
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  input.files = dt.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

// Resolves when Annotate is enabled and nothing runs, seen twice in a row (reads follow one another).
function readyToAnnotate(timeoutMs = 120000) {
  const t0 = Date.now();
  let seen = 0;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const idle = !$('annotate').disabled && $('status').dataset.state !== 'running';
      seen = idle ? seen + 1 : 0;
      if (seen >= 2) return resolve();
      if ($('status').dataset.state === 'error') return reject(new Error($('error').textContent || 'reading the example failed'));
      if (Date.now() - t0 > timeoutMs) return reject(new Error('the example was not read in time'));
      setTimeout(tick, 100);
    };
    tick();
  });
}

async function runExample(name) {
  const base = new URL(`examples/${name}/`, import.meta.url);
  const part = async (p) => ({
    matrix: await Promise.all(PARTS.map((f) => fetchFile(new URL(`${p}/${f}`, base), f))),
    labels: await fetchFile(new URL(`${p}/labels.tsv`, base), `${name}-${p}-labels.tsv`),
  });
  const [ref, query] = await Promise.all([part('reference'), part('query')]);
  choose('reference-input', ref.matrix);
  choose('labels-input', [ref.labels]);
  choose('query-input', query.matrix);
  choose('query-labels-input', [query.labels]);
  await readyToAnnotate();
  $('annotate').click();
}

(async () => {
  const button = $('try-example');
  const select = $('example-choice');
  if (!button || !select) return;
  let list = [];
  try {
    const r = await fetch(new URL('examples/examples.json', import.meta.url));
    list = r.ok ? await r.json() : [];
  } catch {
    list = [];
  }
  if (!list.length) return;  // an installation without examples shows no button
  for (const e of list) select.append(new Option(e.title, e.name));
  $('examples').hidden = false;
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await runExample(select.value);
    } catch (e) {
      $('example-hint').textContent = `The example could not be run: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });
})();
