// web/worker/handle.js: own() makes an Embind object usable as itself (methods, and as an argument
// to the module's functions), free() deletes it once, and the FinalizationRegistry backstop
// deletes one whose wrapper was dropped without free() (an error path in the worker).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadModule, tinySpec, byteBuffer } from './load.mjs';
import { own } from '../../web/worker/handle.js';

const M = await loadModule('scpt-dev');
const skip = M ? false : 'web/gen/scpt.js missing: run tools/wasm-build';

test('an own()ed object is the object: its methods, and an argument to the module', { skip }, () => {
  const s = own(new M.Session());
  try {
    M.matrixFromCsr(s, 'reference', tinySpec());
    assert.equal(s.hasMatrix('reference'), true);
    const buf = own(byteBuffer(M, new TextEncoder().encode('AAAC-1\tT\nAAAG-1\tB\n')));
    assert.equal(buf.size(), 18);
    const r = s.attachLabels('reference', buf, 'labels.tsv', '');  // the wrapper passed where C++ takes a ByteBuffer
    assert.equal(r.matched, 2);
    buf.free();
    buf.free();  // a second free does nothing
    assert.throws(() => s.attachLabels('reference', buf, 'labels.tsv', ''), /deleted object/);
    assert.equal(own(null), null);
  } finally {
    s.free();
  }
});

test('an object whose wrapper is dropped without free() is deleted once the wrapper is garbage', { skip }, async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  let raw = null;
  (() => {
    raw = new M.ByteBuffer();
    own(raw).reserve(1 << 20);  // used, then forgotten
  })();
  for (let i = 0; i < 50 && !raw.isDeleted(); ++i) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(raw.isDeleted(), true);
});
