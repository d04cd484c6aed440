// A 10x Cell Ranger folder (matrix.mtx, features.tsv or genes.tsv, barcodes.tsv; any of them
// gzipped) read in the worker. STOPGAP until readers' core parser is on main: then the chunks
// from fileChunks() go to the module's incremental MatrixMarket parser instead of parseMtx below.
'use strict';

function findTenxFiles(files) {
  const pick = (re) => files.find((f) => re.test(baseName(f.name)));
  return {
    matrix: pick(/(^|[^a-z])matrix\.mtx$|\.mtx$/),
    features: pick(/features\.tsv$/) || pick(/genes\.tsv$/),
    barcodes: pick(/barcodes\.tsv$/),
  };
}

// Parses MatrixMarket coordinate text from byte chunks into COO arrays (genes x cells file).
async function parseMtx(file, ctl) {
  const what = file.name;
  let header = null, size = null, k = 0, lineNo = 0;
  let rows, cols, vals;
  let carry = '';
  const dec = new TextDecoder('utf-8');
  const handle = (line) => {
    ++lineNo;
    if (header === null) {
      if (!/^%%MatrixMarket\s+matrix\s+coordinate\s+(real|integer|pattern|double)\s+general/i.test(line))
        throw inputError(`${what}: line 1 is not a MatrixMarket coordinate header (got "${line.slice(0, 60)}")`);
      header = line.toLowerCase();
      return;
    }
    if (line.startsWith('%') || line.trim() === '') return;
    const t = line.trim().split(/\s+/);
    if (size === null) {
      if (t.length !== 3) throw inputError(`${what}: line ${lineNo}: expected "genes cells entries", got "${line.slice(0, 60)}"`);
      size = t.map(Number);
      if (!size.every((x) => Number.isInteger(x) && x >= 0)) throw inputError(`${what}: line ${lineNo}: the sizes are not whole numbers`);
      if (size[2] > 400e6) throw inputError(`${what}: declares ${size[2]} entries, above the limit of 400000000 (the file may be corrupt)`);
      rows = new Int32Array(size[2]); cols = new Int32Array(size[2]); vals = new Float32Array(size[2]);
      return;
    }
    const pattern = header.includes('pattern');
    if (t.length !== (pattern ? 2 : 3)) throw inputError(`${what}: line ${lineNo} has ${t.length} fields, expected ${pattern ? 2 : 3}`);
    if (k >= size[2]) throw inputError(`${what}: more entries than the ${size[2]} the header declares`);
    const r = +t[0], c = +t[1], v = pattern ? 1 : +t[2];
    if (!(r >= 1 && r <= size[0] && c >= 1 && c <= size[1] && Number.isInteger(r) && Number.isInteger(c)))
      throw inputError(`${what}: line ${lineNo}: entry (${t[0]}, ${t[1]}) is outside the ${size[0]} x ${size[1]} matrix`);
    if (!Number.isFinite(v)) throw inputError(`${what}: line ${lineNo}: "${t[2]}" is not a number`);
    rows[k] = r - 1; cols[k] = c - 1; vals[k] = v; ++k;
  };
  for await (const chunk of fileChunks(file, ctl, 'read')) {
    const text = carry + dec.decode(chunk, { stream: true });
    const lines = text.split('\n');
    carry = lines.pop();
    for (const l of lines) handle(l.endsWith('\r') ? l.slice(0, -1) : l);
  }
  carry += dec.decode();
  if (carry) handle(carry);
  if (header === null) throw inputError(`${what}: the file is empty`);
  if (size === null) throw inputError(`${what}: no size line after the header`);
  if (k !== size[2]) throw inputError(`${what}: the header declares ${size[2]} entries but the file has ${k} (truncated?)`);
  return { nGenes: size[0], nCells: size[1], genes: rows, cells: cols, values: vals };
}

async function readTenx(files, ctl) {
  const f = findTenxFiles(files);
  const missing = [];
  if (!f.matrix) missing.push('matrix.mtx');
  if (!f.features) missing.push('features.tsv (or genes.tsv)');
  if (!f.barcodes) missing.push('barcodes.tsv');
  if (missing.length)
    throw inputError(`10x folder: ${missing.join(', ')} missing; select the three files of the folder together (got ${files.map((x) => x.name).join(', ')})`);
  const m = await parseMtx(f.matrix, ctl);
  const feat = textLines(await fileText(f.features, ctl, 'read'));
  const bc = textLines(await fileText(f.barcodes, ctl, 'read'));
  if (feat.length !== m.nGenes)
    throw inputError(`${f.features.name}: ${feat.length} genes but ${f.matrix.name} has ${m.nGenes} rows`);
  if (bc.length !== m.nCells)
    throw inputError(`${f.barcodes.name}: ${bc.length} barcodes but ${f.matrix.name} has ${m.nCells} columns`);
  const ids = [], symbols = [];
  feat.forEach((line, i) => {
    const t = line.split('\t');
    if (t.length < 1 || !t[0]) throw inputError(`${f.features.name}: line ${i + 1} is empty`);
    ids.push(t[0]);
    symbols.push(t.length >= 2 && t[1] ? t[1] : t[0]);
  });
  return {
    source: f.matrix.name, nCells: m.nCells, nGenes: m.nGenes, layout: 'coo',
    rows: m.cells, indices: m.genes, values: m.values,
    barcodes: bc.join('\n'), geneIds: ids.join('\n'), geneSymbols: symbols.join('\n'),
  };
}
