// Model files in the module (wasm/model_api.cpp), once core's model code is in the tree: read
// (zstd decoded by the module), encode a real dataset, map the embedding, refuse damaged files.
// Needs a model file: the first of $SCPT_TEST_MODEL or models/*.scpt; skips without one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteBuffer, dataPath, defaultModel, loadModule, readTenxFolder } from './load.mjs';

const M = await loadModule('scpt');
const model0 = defaultModel();

test('a model file is read, encodes real cells and maps them; damaged files are refused', (t) => {
  if (typeof M.readModel !== 'function') return t.skip('core model code not in this tree yet');
  if (!model0) return t.skip('no model file (set SCPT_TEST_MODEL or add models/*.scpt)');
  const dir = dataPath('pbmc3k_seurat_labels');
  if (!dir) return t.skip('shared data absent');
  const s = new M.Session();
  readTenxFolder(M, s, 'query', dir);

  const bytes = model0.bytes;
  const mb = byteBuffer(M, bytes);
  const model = M.readModel(mb, model0.name);
  mb.delete();
  const info = model.info();
  assert.ok(info.genes > 0 && info.hidden > 0);
  let events = 0;
  const r = M.encodeCells(s, 'query', model, () => { ++events; return false; });
  assert.equal(r.cells, 2638);
  assert.equal(r.dims, info.hidden);
  assert.ok(r.matched > 0 && events > 0);
  const xy = s.embeddingMap('query', {}, undefined);
  assert.equal(xy.length, 2 * 2638);
  assert.ok(xy.every(Number.isFinite));

  const bad = Buffer.from(bytes);
  bad[Math.floor(bad.length / 2)] ^= 0xff;
  const bb = byteBuffer(M, bad);
  assert.throws(() => M.readModel(bb, 'bad.scpt'), (e) => e.name === 'InputError' && e.message.startsWith('bad.scpt: '));
  bb.delete();
  model.delete();
  s.delete();
});

test('files that are not models are refused with messages naming them', () => {
  const cases = [
    ['notes.txt', new TextEncoder().encode('hello, this is text'), /^notes\.txt: /],
    ['empty.scpt', new Uint8Array(0), /^empty\.scpt: /],
    // The magic and a header cut short.
    ['cut.scpt', Uint8Array.of(0x89, 0x53, 0x43, 0x50, 0x54, 0x0d, 0x0a, 0x1a, 1, 0, 0, 0, 64, 0, 0, 0, 0, 0), /^cut\.scpt: /],
  ];
  for (const [name, bytes, re] of cases) {
    const b = new M.ByteBuffer();
    b.append(bytes);
    assert.throws(() => M.readModel(b, name), (e) => e instanceof Error && e.name === 'InputError' && re.test(e.message), name);
    b.delete();
  }
});
