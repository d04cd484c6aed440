// The page's side of the worker protocol (see worker.js): promise-based requests, one at a time,
// with progress callbacks and cancellation. Cancel sets a shared flag the worker and the module
// poll (needs a cross-origin isolated page); when the work does not stop within a grace period
// (single-threaded module busy in C++, no shared memory), the worker is replaced and the requests
// that built its state are replayed, so the page keeps what it had.
export class Engine {
  constructor(url = new URL('./worker.js', import.meta.url)) {
    this.url = url;
    this.nextId = 1;
    this.pending = new Map();
    this.queue = Promise.resolve();
    this.replayLog = [];  // [op, args] of successful state-changing requests
    this.info = null;
    this.cancelBuffer = typeof SharedArrayBuffer === 'function' && self.crossOriginIsolated ? new SharedArrayBuffer(4) : null;
  }

  async start() {
    this.worker = new Worker(this.url);
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
    if (msg.type === 'progress') { p.onProgress?.(msg); return; }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(Object.assign(new Error(msg.message), { name: msg.name }));
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

  // Replaces a stuck worker: the running request fails as cancelled, the loaded data is rebuilt.
  async restart() {
    this.worker.terminate();
    // Requests made from now on wait until the new worker has its data back.
    let done;
    const restarted = new Promise((r) => { done = r; });
    const queued = this.queue;
    this.queue = restarted.then(() => queued).catch(() => {});
    const cancelled = Object.assign(new Error('cancelled'), { name: 'Cancelled' });
    for (const p of this.pending.values()) p.reject(cancelled);
    this.pending.clear();
    try {
      await this.start();
      for (const e of this.replayLog) await this.send(e.op, e.args).catch(() => {});
    } finally {
      done();
    }
  }
}
