// Saving results to the user's disk: a Blob and a temporary object URL, no network involved.
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// One CSV field, quoted when it needs to be (RFC 4180).
export function csvField(v) {
  const s = v == null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header, rowCount, row) {
  const lines = [header.map(csvField).join(',')];
  for (let r = 0; r < rowCount; ++r) lines.push(row(r).map(csvField).join(','));
  return new Blob([lines.join('\n') + '\n'], { type: 'text/csv' });
}
