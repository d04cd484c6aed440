// The page's side of the worker protocol (see worker.js): promise-based requests, one at a time,
// with progress callbacks and cancellation. Cancel sets a shared flag the worker and the module
// poll (needs a cross-origin isolated page); when the work does not stop within a grace period
// (single-threaded module busy in C++, no shared memory), the worker is replaced and the requests
// that built its state are replayed, so the page keeps what it had. While the worker reads an
// HDF5 file, silence longer than hdf5TimeoutMs (no progress, no answer) means libhdf5 is stuck on
// a crafted or damaged file (it can loop forever): the worker is replaced the same way and the
// request fails with an InputError naming the file.
export class Engine {
  constructor(url = new URL('./worker.js', import.meta.url), { hdf5TimeoutMs = 120000 } = {}) {
    this.url = url;
    this.hdf5TimeoutMs = hdf5TimeoutMs;
    this.nextId = 1;
    this.pending = new Map();
    this.queue = Promise.resolve();
    this.replayLog = [];  // [op, args] of successful state-changing requests
    this.info = null;
    this.cancelBuffer = typeof SharedArrayBuffer === 'function' && self.crossOriginIsolated ? new SharedArrayBuffer(4) : null;
  }

  async start() {
    // An ES module worker (worker.js imports its parts and the module; see worker/module.js).
    this.worker = new Worker(this.url, { type: 'module' });
    this.worker.onmessage = (ev) => this.onMessage(ev.data);
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      for (const p of this.pending.values()) p.reject(Object.assign(new Error(`the engine failed to start (${ev.message || 'worker error'})`), { name: 'Error' }));
      this.pending.clear();
    };
    this.info = await this.send('init', { cancelBuffer: this.cancelBuffer });
    return this.info;
  }

  onMessage(msg) {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'watch') p.watching = msg.file;
    this.watch(p);
    if (msg.type === 'watch') return;
    if (msg.type === 'progress') { p.onProgress?.(msg); return; }
    clearTimeout(p.timer);
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(Object.assign(new Error(msg.message), { name: msg.name }));
  }

  // (Re)starts the silence timer of a request whose worker is inside libhdf5.
  watch(p) {
    clearTimeout(p.timer);
    if (!p.watching) return;
    const file = p.watching;
    p.timer = setTimeout(() => {
      const s = Math.round(this.hdf5TimeoutMs / 1000);
      this.restart(Object.assign(new Error(`${file}: the HDF5 library stopped responding while reading this file (no ` +
        `answer in ${s} s); the file is likely damaged. Write it again (e.g. anndata's write_h5ad) or export a 10x ` +
        'folder or a CSV.'), { name: 'InputError' }));
    }, this.hdf5TimeoutMs);
  }

  send(op, args, onProgress) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress, op });
      this.worker.postMessage({ id, op, args });
    });
  }

  // Runs one request after the previous ones. `keep`: replay it if the worker is replaced.
  request(op, args = {}, { onProgress, keep = false } = {}) {
    const run = async () => {
      if (this.cancelBuffer) Atomics.store(new Int32Array(this.cancelBuffer), 0, 0);
      this.running = this.send(op, args, onProgress);
      let value;
      try {
        value = await this.running;
      } finally {
        this.running = null;
      }
      if (keep) {
        // A role's labels files (its types, or the known types of the cells to annotate) each
        // stay until the role's matrix is replaced.
        const key = op === 'load' || op === 'drop' ? `load:${args.role}`
          : op === 'labels' ? `labels:${args.role}:${args.file && args.file.name}` : op;
        this.replayLog = this.replayLog.filter((e) => e.key !== key && !(key === `load:${args.role}` && e.key.startsWith(`labels:${args.role}:`)));
        if (op !== 'drop') this.replayLog.push({ key, op, args });
      }
      return value;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => {});
    return p;
  }

  // Asks the running request to stop; resolves once it has (its promise then rejects with
  // name 'Cancelled', or resolves if it finished first).
  async cancel(graceMs = 1500) {
    const running = this.running;
    if (!running) return;
    if (this.cancelBuffer) Atomics.store(new Int32Array(this.cancelBuffer), 0, 1);
    if (this.info && this.info.cancelMemory) Atomics.store(new Int8Array(this.info.cancelMemory), this.info.cancelAddress, 1);
    this.worker.postMessage({ op: 'cancel' });
    const settled = running.then(() => true, () => true);
    const stopped = await Promise.race([settled, new Promise((r) => setTimeout(() => r(false), graceMs))]);
    if (!stopped) await this.restart();
  }

  // Replaces a stuck worker: the running request fails with `reason` (cancelled), the loaded data
  // is rebuilt.
  async restart(reason = Object.assign(new Error('cancelled'), { name: 'Cancelled' })) {
    this.worker.terminate();
    // Requests made from now on wait until the new worker has its data back.
    let done;
    const restarted = new Promise((r) => { done = r; });
    const queued = this.queue;
    this.queue = restarted.then(() => queued).catch(() => {});
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
    try {
      await this.start();
      for (const e of this.replayLog) await this.send(e.op, e.args).catch(() => {});
    } finally {
      done();
    }
  }
}
