// A 10x folder inside a .tar, .tar.gz/.tgz or .zip (how Cell Ranger outputs are shared): the
// module's core lists the archive (core/io/archive.*) and picks the matrix (core/io/tenx_archive.*:
// the filtered one when there are several, with a note); here the browser decompresses
// (DecompressionStream 'gzip' for the tar stream, 'deflate-raw' for zip members) and the three
// chosen members become Files that go the 10x folder's way. A tar.gz is read twice, once to list
// and once to take the chosen members, so only those are ever held.
import { M } from './module.js';
import { own } from './handle.js';
import { inputError, fileChunks } from './util.js';

// The first `n` bytes of a file, gunzipped when it is gzip (a damaged gzip just gives fewer).
async function archiveHead(file, n) {
  const raw = new Uint8Array(await file.slice(0, Math.max(n, 4)).arrayBuffer());
  if (!(raw[0] === 0x1f && raw[1] === 0x8b)) return { gz: false, head: raw };
  const reader = file.slice(0, 1 << 16).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const parts = [];
  let got = 0;
  try {
    while (got < n) {
      const r = await reader.read();
      if (r.done) break;
      parts.push(r.value);
      got += r.value.byteLength;
    }
  } catch (e) {
    // a slice ends mid-stream: what came before it is enough
  } finally {
    reader.cancel().catch(() => {});
  }
  return { gz: true, head: new Uint8Array(await new Blob(parts).arrayBuffer()) };
}

// 'zip', 'tar' or null, from the bytes (as core's sniff_archive).
async function archiveKindOf(file) {
  const { gz, head } = await archiveHead(file, 512);
  const isZip = head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
  if (isZip && !gz) return 'zip';
  const ustar = String.fromCharCode(...head.subarray(257, 262));
  return ustar === 'ustar' ? 'tar' : null;
}

function memberName(archive, path) { return `${archive.name}:${path}`; }

async function zipMemberFiles(file, choice) {
  const sync = new FileReaderSync();
  const out = [];
  for (const m of [choice.matrix, choice.features, choice.barcodes]) {
    const header = new Uint8Array(sync.readAsArrayBuffer(file.slice(m.offset, m.offset + 30)));
    const at = M.zipDataOffset(header, m.offset, file.size, m.path, file.name);
    let blob = file.slice(at, at + m.storedSize);
    if (m.method === 'deflate') {
      try {
        blob = await new Response(blob.stream().pipeThrough(new DecompressionStream('deflate-raw'))).blob();
      } catch (e) {
        throw inputError(`${memberName(file, m.path)}: is corrupt (deflate data error: ${String(e.message).replace(/\.$/, '')})`);
      }
    }
    if (blob.size !== m.size)
      throw inputError(`${memberName(file, m.path)}: is corrupt (it decompresses to ${blob.size} bytes, the archive declares ${m.size})`);
    out.push(new File([blob], memberName(file, m.path)));
  }
  return out;
}

async function tarMemberFiles(file, choice, ctl) {
  const wanted = [choice.matrix, choice.features, choice.barcodes];
  const parts = wanted.map(() => []);
  const end = Math.max(...wanted.map((m) => m.offset + m.size));
  let pos = 0;
  for await (const chunk of fileChunks(file, ctl, 'read')) {
    const next = pos + chunk.byteLength;
    wanted.forEach((m, i) => {
      const a = Math.max(pos, m.offset), b = Math.min(next, m.offset + m.size);
      if (a < b) parts[i].push(chunk.slice(a - pos, b - pos));
    });
    pos = next;
    if (pos >= end) break;  // everything chosen is in hand
  }
  return wanted.map((m, i) => new File(parts[i], memberName(file, m.path)));
}

// For one dropped file: null when it is not an archive; else {files: the chosen matrix's three
// Files (named ARCHIVE:MEMBER), note: which matrix was read when there were several ('' if one)}.
export async function tenxArchiveFiles(file, ctl) {
  const kind = await archiveKindOf(file);
  if (!kind) return null;
  ctl.progress('read', 0, `listing ${file.name}`);
  let members;
  if (kind === 'zip') {
    const sync = new FileReaderSync();
    members = M.listZip(file.size, (offset, n) => new Uint8Array(sync.readAsArrayBuffer(file.slice(offset, offset + n))), file.name);
  } else {
    const lister = own(M.openTarLister(file.name));
    try {
      for await (const chunk of fileChunks(file, ctl, 'read')) lister.feed(chunk);
      members = lister.finish();
    } finally {
      lister.free();
    }
  }
  const choice = M.chooseTenxArchiveMembers(members, file.name);
  const files = kind === 'zip' ? await zipMemberFiles(file, choice) : await tarMemberFiles(file, choice, ctl);
  return { files, note: choice.note };
}
