// The confusion matrix (rows: known types, columns: predicted, the last one Unassigned), shaded by
// each row's share: the results' accuracy panel and the teaching view draw it alike.
import { fmt } from './format.js';

// t: {named, rows, cols, counts} as the worker's scoreTruth makes it. For K-means groups (named
// false) the Unassigned column, always empty, is left out.
export function fillConfusion(table, t) {
  table.innerHTML = '';
  const head = table.insertRow();
  head.append(Object.assign(document.createElement('th'), { textContent: 'known \\ predicted' }));
  for (const c of t.named ? t.cols : t.cols.slice(0, -1)) head.append(Object.assign(document.createElement('th'), { textContent: c }));
  t.rows.forEach((name, i) => {
    const tr = table.insertRow();
    tr.append(Object.assign(document.createElement('th'), { className: 'row', textContent: name }));
    const total = t.counts[i].reduce((a, b) => a + b, 0) || 1;
    (t.named ? t.counts[i] : t.counts[i].slice(0, -1)).forEach((n) => {
      const td = tr.insertCell();
      td.textContent = n ? fmt(n) : '';
      if (n) td.style.background = `rgba(11, 107, 203, ${(0.08 + 0.6 * n / total).toFixed(3)})`;
    });
  });
}
