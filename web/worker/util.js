// Shared helpers of the worker's files: errors for the page, cancellation, reading Files.
import { M } from './module.js';
import { own } from './handle.js';

// An error about the user's input: the page shows its message as is.
export function inputError(message) {
  const e = new Error(message);
  e.name = 'InputError';
  return e;
}

// Cancellation and progress for JS-side loops. `ctl` = {cancelled(): bool, progress(stage, fraction, message)}.
export function checkCancel(ctl) {
  if (ctl && ctl.cancelled()) {
    const e = new Error('cancelled');
    e.name = 'Cancelled';
    throw e;
  }
}

function isGzipName(name) { return /\.gz$/i.test(name); }
export function baseName(name) { return name.replace(/\.gz$/i, '').toLowerCase(); }

// Reads a File (or Blob) as a stream of Uint8Array chunks, gunzipping through the browser's
// DecompressionStream when the name ends in .gz or the bytes start with the gzip magic.
export async function* fileChunks(file, ctl, stage) {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gz = isGzipName(file.name) || (head[0] === 0x1f && head[1] === 0x8b);
  let stream = file.stream();
  let read = 0;
  if (gz) {
    // Count compressed bytes for progress before they go into the decompressor.
    const counter = new TransformStream({
      transform(chunk, controller) { read += chunk.byteLength; controller.enqueue(chunk); },
    });
    stream = stream.pipeThrough(counter).pipeThrough(new DecompressionStream('gzip'));
  }
  const reader = stream.getReader();
  try {
    for (;;) {
      let r;
      try {
        r = await reader.read();
      } catch (e) {
        // In core's words (core/io/read_failures.hpp), so the page and the CLI say the same.
        throw inputError(`${file.name}: ` + (/truncated/i.test(e.message) ? M.readFailure('gzip-cut', '')
          : M.readFailure('gzip-corrupt', String(e.message).replace(/\.$/, ''))));
      }
      if (r.done) break;
      if (!gz) read += r.value.byteLength;
      checkCancel(ctl);
      if (ctl && file.size) ctl.progress(stage, Math.min(1, read / file.size), `reading ${file.name}`);
      yield r.value;
    }
  } finally {
    reader.releaseLock();
  }
}

// Streams a (possibly gzipped) file into a module ByteBuffer (own()ed), decompressed. The caller frees it.
export async function fileToBuffer(file, ctl, stage = 'read') {
  const buf = own(new M.ByteBuffer());
  try {
    if (!isGzipName(file.name)) buf.reserve(file.size);
    for await (const chunk of fileChunks(file, ctl, stage)) buf.append(chunk);
    return buf;
  } catch (e) {
    buf.free();
    throw e;
  }
}

// The three files of a 10x folder among the given ones (any of them gzipped, any prefix).
export function findTenxFiles(files) {
  const pick = (re) => files.find((f) => re.test(baseName(f.name)));
  return {
    matrix: pick(/\.mtx$/),
    features: pick(/features\.tsv$/) || pick(/genes\.tsv$/),
    barcodes: pick(/barcodes\.tsv$/),
  };
}
