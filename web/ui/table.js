// A virtualised table: only the rows in view exist in the DOM, so 100k+ rows scroll smoothly.
// Columns sort on click (stable, numbers numerically); a filter keeps rows whose text matches.
const collator = new Intl.Collator(undefined, { numeric: false });

export class VirtualTable {
  // columns: [{key, title, numeric?, format?(value) -> string}]; get(row, key) -> value
  constructor(container, { rowHeight = 28 } = {}) {
    this.container = container;
    this.rowHeight = rowHeight;
    container.classList.add('vtable');
    container.innerHTML = '';
    this.head = el('div', 'vtable-head');
    this.scroller = el('div', 'vtable-scroll');
    this.spacer = el('div', 'vtable-spacer');
    this.body = el('div', 'vtable-body');
    this.scroller.append(this.spacer, this.body);
    container.append(this.head, this.scroller);
    this.scroller.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => this.render()).observe(this.scroller);
    this.setData([], 0, () => '');
  }

  setData(columns, rowCount, get) {
    this.columns = columns;
    this.rowCount = rowCount;
    this.get = get;
    this.sortKey = null;
    this.sortDir = 1;
    this.filterText = '';
    this.view = identity(rowCount);
    this.renderHead();
    this.scroller.scrollTop = 0;
    this.render();
  }

  setFilter(text) {
    this.filterText = text.trim().toLowerCase();
    this.applyView();
  }

  sortBy(key) {
    this.sortDir = this.sortKey === key ? -this.sortDir : 1;
    this.sortKey = key;
    this.applyView();
  }

  applyView() {
    let rows = identity(this.rowCount);
    if (this.filterText) {
      const f = this.filterText, keep = [];
      for (let r = 0; r < this.rowCount; ++r) {
        if (this.columns.some((c) => !c.numeric && String(this.get(r, c.key)).toLowerCase().includes(f))) keep.push(r);
      }
      rows = Int32Array.from(keep);
    }
    if (this.sortKey) {
      // Sort typed keys, not values: text becomes its rank among the distinct texts (a type column
      // has a handful), so 1M rows sort as numbers instead of 20M string comparisons.
      const col = this.columns.find((c) => c.key === this.sortKey);
      const n = rows.length, key = new Float64Array(n);
      if (col.numeric) {
        for (let i = 0; i < n; ++i) key[i] = Number(this.get(rows[i], col.key));
      } else {
        const text = new Array(n), rank = new Map();
        for (let i = 0; i < n; ++i) { text[i] = String(this.get(rows[i], col.key)); rank.set(text[i], 0); }
        [...rank.keys()].sort(collator.compare).forEach((t, k) => rank.set(t, k));
        for (let i = 0; i < n; ++i) key[i] = rank.get(text[i]);
      }
      const idx = new Uint32Array(n), dir = this.sortDir;
      for (let i = 0; i < n; ++i) idx[i] = i;
      idx.sort((i, j) => dir * (key[i] - key[j]) || i - j);
      rows = Int32Array.from(idx, (i) => rows[i]);
    }
    this.view = rows;
    this.renderHead();
    this.render();
  }

  renderHead() {
    this.head.innerHTML = '';
    for (const c of this.columns) {
      const h = el('button', 'vtable-cell');
      h.type = 'button';
      h.textContent = c.title + (this.sortKey === c.key ? (this.sortDir > 0 ? ' ▲' : ' ▼') : '');
      if (c.numeric) h.classList.add('num');
      h.addEventListener('click', () => this.sortBy(c.key));
      this.head.append(h);
    }
    this.container.style.setProperty('--vtable-cols', this.columns.map((c) => c.width || '1fr').join(' '));
  }

  render() {
    const n = this.view.length, h = this.rowHeight;
    this.spacer.style.height = `${n * h}px`;
    const top = this.scroller.scrollTop, height = this.scroller.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / h) - 5), last = Math.min(n, Math.ceil((top + height) / h) + 5);
    this.body.style.transform = `translateY(${first * h}px)`;
    const frag = document.createDocumentFragment();
    for (let k = first; k < last; ++k) {
      const r = this.view[k];
      const row = el('div', 'vtable-row');
      row.style.height = `${h}px`;
      for (const c of this.columns) {
        const cell = el('div', 'vtable-cell');
        if (c.numeric) cell.classList.add('num');
        const v = this.get(r, c.key);
        if (c.render) c.render(cell, v, r);
        else cell.textContent = c.format ? c.format(v) : String(v);
        row.append(cell);
      }
      frag.append(row);
    }
    this.body.replaceChildren(frag);
  }
}

function el(tag, cls) { const e = document.createElement(tag); e.className = cls; return e; }
function identity(n) { const a = new Int32Array(n); for (let i = 0; i < n; ++i) a[i] = i; return a; }
