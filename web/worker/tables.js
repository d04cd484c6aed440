// Text tables read in the worker: cell labels (barcode<TAB>label) and dense CSV/TSV matrices.
// STOPGAP for CSV until readers' core parser is on main (it guesses orientation properly).
'use strict';

function splitter(line) { return line.includes('\t') ? '\t' : ','; }
function unquote(s) { return s.length >= 2 && s[0] === '"' && s[s.length - 1] === '"' ? s.slice(1, -1) : s; }

// Labels for the cells of a matrix, in its barcode order. Unknown barcodes are ignored; cells
// without a line get no label (code -1). A header line is recognised by not matching any barcode.
function parseLabels(text, fileName, barcodes) {
  const at = new Map(barcodes.map((b, i) => [b, i]));
  const codes = new Int32Array(barcodes.length).fill(-1);
  const levels = [], levelAt = new Map();
  let matched = 0, lines = 0, firstUnmatched = null;
  textLines(text).forEach((line, i) => {
    if (!line.trim()) return;
    const sep = splitter(line);
    const t = line.split(sep).map(unquote);
    if (t.length < 2) throw inputError(`${fileName}: line ${i + 1} has 1 column, expected barcode and label`);
    ++lines;
    const cell = at.get(t[0]);
    if (cell === undefined) { if (firstUnmatched === null && i > 0) firstUnmatched = t[0]; return; }
    const label = t[1].trim();
    if (!levelAt.has(label)) { levelAt.set(label, levels.length); levels.push(label); }
    codes[cell] = levelAt.get(label);
    ++matched;
  });
  if (!lines) throw inputError(`${fileName}: the file has no lines`);
  if (!matched)
    throw inputError(`${fileName}: none of its ${lines} barcodes match the reference cells` +
      (firstUnmatched ? ` (e.g. "${firstUnmatched}" vs "${barcodes[0]}")` : ''));
  return { levels, codes, matched, lines };
}

// Dense table: a header row of cell names, then one line per gene (name, values...).
async function readCsv(file, ctl) {
  const lines = textLines(await fileText(file, ctl, 'read'));
  if (lines.length < 2) throw inputError(`${file.name}: needs a header row and at least one gene row`);
  const sep = splitter(lines[0]);
  const header = lines[0].split(sep).map(unquote);
  const cells = header.slice(1);
  const nCells = cells.length, nGenes = lines.length - 1;
  if (!nCells) throw inputError(`${file.name}: the header has no cell names`);
  const genes = [], rows = [], cols = [], vals = [];
  for (let i = 1; i < lines.length; ++i) {
    if (i % 2000 === 0) { checkCancel(ctl); ctl.progress('read', i / lines.length, `parsing ${file.name}`); }
    const t = lines[i].split(sep);
    if (t.length !== nCells + 1) throw inputError(`${file.name}: line ${i + 1} has ${t.length} columns, expected ${nCells + 1}`);
    genes.push(unquote(t[0]));
    for (let j = 1; j <= nCells; ++j) {
      const x = Number(t[j]);
      if (!Number.isFinite(x)) throw inputError(`${file.name}: line ${i + 1}, column ${j + 1}: "${t[j]}" is not a number`);
      if (x !== 0) { rows.push(j - 1); cols.push(i - 1); vals.push(x); }
    }
  }
  return {
    spec: {
      source: file.name, nCells, nGenes, layout: 'coo', rows: Int32Array.from(rows), indices: Int32Array.from(cols),
      values: Float32Array.from(vals), barcodes: cells.join('\n'), geneIds: genes.join('\n'), geneSymbols: genes.join('\n'),
    },
    notes: ['read as genes in rows and cells in columns'],
  };
}
