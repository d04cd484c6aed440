#!/usr/bin/python3
"""Produces EVALUATION.md: scpt's annotation against the peers (../shared/peers) on every labelled
dataset of ../shared/data, on the same splits (common.split), leave-dataset-out pre-training.

Usage (from the repository root, after tools/build):
  /usr/bin/python3 tools/eval/evaluate.py [--work build/eval] [--seeds 5] [--peer-seeds 5]
        [--epochs 50] [--only NAME,...] [--skip-peers] [--render-only]

Everything is cached under --work (models, split folders, predictions, JSON results), so an
interrupted run continues where it stopped and --render-only rewrites EVALUATION.md from the
results. Python orchestrates only: every number of ours comes from build/bin/scpt.
Stages: models (scpt pretrain and pretrain_ref.py per left-out dataset), within-dataset
annotation (scpt annotate head/full/scratch and peers lr/svm/scpt0/scpt on REFDIR/QUERYDIR
folders written by common.write_dir), scpt eval (AUROC/AUPRC, representations, held-out types),
cross-technology and cross-species transfer, transform comparison, rendering."""
import argparse, json, os, subprocess, sys, time, platform, datetime

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get('SCPT_DATA', os.path.join(os.path.dirname(ROOT), 'shared', 'data'))
PEERS = os.path.join(os.path.dirname(DATA), 'peers')
sys.path.insert(0, PEERS)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from eval_sets import (CORPUS, HOLDOUT_GROUPS, ORTHOLOGS, holdout_group, TRANSFERS, TRANSFORM_PAIRS, UNLABELLED, labelled_sets,  # noqa: E402
                       corpus_without)

SCPT = os.environ.get('SCPT') or os.path.join(ROOT, 'build', 'bin', 'scpt')
# Our methods as scpt annotate arguments (given the model path).
OURS = {
    'head': lambda m: ['--model', m, '--finetune', 'head'],
    'head-enc': lambda m: ['--model', m, '--finetune', 'head', '--reference-genes', '0'],
    'head-mv': lambda m: ['--model', m, '--finetune', 'head', '--majority-voting'],
    'head-mlp': lambda m: ['--model', m, '--finetune', 'head', '--head', 'mlp', '--reference-pcs', '0'],
    'full': lambda m: ['--model', m, '--finetune', 'full'],
    'head-u': lambda m: ['--model', m, '--finetune', 'head'],  # m: the unlabelled-corpus model
    'scratch': lambda m: ['--no-pretrained'],
}
PEER_METHODS = ['lr', 'lr-cv', 'svm', 'scpt0', 'scpt']
TORCH_PEERS = ('scpt0', 'scpt')  # slow: --torch-seeds of them
ENV1 = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1')


def ours(args):
    """Our methods of the within-dataset stage (--ours), in OURS's order."""
    keep = args.ours.split(',') if args.ours else list(OURS)
    return [m for m in OURS if m in keep]


def torch_seeds(args):
    return args.peer_seeds if args.torch_seeds < 0 else args.torch_seeds


def peers(args):
    keep = args.peers.split(',') if args.peers else PEER_METHODS
    return [m for m in PEER_METHODS if m in keep]


def log(*a):
    print(time.strftime('%H:%M:%S'), *a, file=sys.stderr, flush=True)


def run(cmd, timeout=None, env=None):
    t = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env or ENV1)
    if p.returncode != 0:
        raise RuntimeError('%s failed (%d): %s' % (' '.join(cmd[:3]), p.returncode, p.stderr.strip()[-800:]))
    return p, time.time() - t


def jload(path):
    with open(path) as f:
        return json.load(f)


def jsave(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def wait_for_other_run(out):
    """Waits while another evaluate.py process (a parallel --only run) is building `out`."""
    pid_file, said = out + '.pid', False
    while os.path.exists(pid_file) and not os.path.exists(out):
        try:
            pid = int(open(pid_file).read().strip() or 0)
            os.kill(pid, 0)
        except (ValueError, ProcessLookupError):
            return
        except PermissionError:
            pass
        if pid == os.getpid():
            return
        if not said:
            log('waiting for process', pid, 'to build', os.path.basename(out))
            said = True
        time.sleep(10)


class NotCached(Exception):
    """--cached-only met a run that was never made: it stays out of the results."""


class Work:
    def __init__(self, args):
        self.a = args
        self.dir = os.path.abspath(args.work)
        os.makedirs(self.dir, exist_ok=True)

    def path(self, *p):
        return os.path.join(self.dir, *p)

    # ---- models ----
    def model(self, name, dirs, transform='log1p'):
        out = self.path('models', '%s.%s.scpt' % (name, transform))
        wait_for_other_run(out)
        if not os.path.exists(out):
            os.makedirs(os.path.dirname(out), exist_ok=True)
            log('pretrain', name, transform, len(dirs), 'datasets')
            with open(out + '.pid', 'w') as f:  # another evaluate.py run (--only) waits for this one
                f.write(str(os.getpid()))
            _, secs = run([SCPT, '-q', 'pretrain', '--out', out, '--epochs', str(self.a.epochs), '--threads', '2',
                           '--transform', transform, '--orthologs', ORTHOLOGS] + [os.path.join(DATA, d) for d in dirs])
            jsave(out + '.json', {'seconds': secs, 'datasets': dirs, 'transform': transform})
        return out

    def peer_encoder(self, name, dirs):
        out = self.path('models', '%s.pt' % name)
        if not os.path.exists(out):
            log('pretrain_ref.py', name)
            env = dict(ENV1, THREADS='2', OMP_NUM_THREADS='2')
            p, secs = run(['/usr/bin/python3', os.path.join(PEERS, 'pretrain_ref.py'), out, str(self.a.peer_epochs)] +
                          [os.path.join(DATA, d) for d in dirs], env=env)
            jsave(out + '.json', {'seconds': secs, 'datasets': dirs})
        return out

    def model_for(self, dataset, transform='log1p'):
        """Leave-group-out: the corpus without `dataset`'s group (the full corpus when it is not in it)."""
        return self.model_without(holdout_group(dataset), transform)

    def model_without(self, excluded, transform='log1p'):
        excluded = sorted(set(excluded))
        name = 'without_' + '+'.join(excluded) if excluded else 'corpus'
        return self.model(name, corpus_without(excluded), transform)

    def peer_encoder_unlabelled(self):
        return self.peer_encoder('unlabelled', UNLABELLED)

    def model_unlabelled(self):
        return self.model('unlabelled', UNLABELLED)

    # ---- folders ----
    def split_dirs(self, dataset, seed):
        base = self.path('splits', dataset, 'seed%d' % seed)
        ref, qry = os.path.join(base, 'ref'), os.path.join(base, 'query')
        if not os.path.exists(os.path.join(base, 'truth.json')):
            X, genes, barcodes, labels = common.read_dir(os.path.join(DATA, dataset))
            keep = [i for i, l in enumerate(labels) if l not in (None, '')]
            X = X[keep]
            barcodes = [barcodes[i] for i in keep]
            labels = [labels[i] for i in keep]
            r, t = common.split(len(barcodes), seed)
            common.write_dir(ref, X[r], genes, [barcodes[i] for i in r], [labels[i] for i in r])
            common.write_dir(qry, X[t], genes, [barcodes[i] for i in t])
            jsave(os.path.join(base, 'truth.json'), {barcodes[i]: labels[i] for i in t})
        return ref, qry, jload(os.path.join(base, 'truth.json'))

    # ---- one method on one reference/query pair ----
    def predict(self, method, ref, qry, out, model=None, encoder=None, extra=()):
        """Runs a method; returns (seconds, error, fallback: why it ran without pre-training). Cached."""
        meta = out + '.json'
        if os.path.exists(meta):
            m = jload(meta)
            return m['seconds'], m.get('error'), m.get('fallback')
        if self.a.cached_only:
            raise NotCached(out)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        err = fallback = None
        secs, chosen = 0.0, {}
        try:
            if method in OURS:
                cmd = [SCPT, '-q', 'annotate', '--reference', ref, '--labels', os.path.join(ref, 'labels.tsv'),
                       '--query', qry, '--out', out, '--threads', '1', '--orthologs', ORTHOLOGS, '--details']
                # Without a model, scPretrain's baseline: log1p of counts (scpt's default is now cp10k_log1p,
                # measured in the transform stage; the within tables were made with log1p models).
                if '--transform' not in extra:
                    extra = list(extra) + ['--transform', 'log1p']
                try:
                    _, secs = run(cmd + list(extra) + OURS[method](model))
                except RuntimeError as e:
                    # A dataset whose genes cannot meet the model (no gene names, Ensembl ids only):
                    # what a user gets from the default model, which steps aside with a warning.
                    if method == 'scratch' or not model or os.path.basename(model) not in str(e) or 'gene' not in str(e):
                        raise
                    args = OURS[method](model)
                    i = args.index('--model')
                    del args[i:i + 2]  # the same model as the default one: SCPT_MODEL
                    _, secs = run(cmd + list(extra) + args, env=dict(ENV1, SCPT_MODEL=model))
                    fallback = str(e).strip().splitlines()[-1][-200:]
            else:  # a peer script: it prints one JSON line with its seconds (and lr-cv its C)
                if method == 'lr-cv':
                    cmd = ['/usr/bin/python3', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lr_tuned.py'),
                           ref, qry, out]
                else:
                    cmd = ['/usr/bin/python3', os.path.join(PEERS, 'peers.py'), method, ref, qry, out]
                    if method == 'scpt':
                        cmd.append(encoder)
                p, _ = run(cmd, timeout=3600, env=dict(ENV1, SCPT_DATA=DATA))
                said = json.loads(p.stdout.strip().splitlines()[-1])
                secs = said['seconds']
                chosen = {'C': said['C']} if 'C' in said else {}
        except Exception as e:  # recorded, shown in the table
            err = str(e)[:300]
        jsave(meta, {'seconds': secs, 'error': err, 'fallback': fallback, **chosen})
        return secs, err, fallback


def read_column(path, name):
    out = {}
    with open(path) as f:
        header = f.readline().rstrip('\n').split('\t')
        if name not in header:
            return None
        i = header.index(name)
        for line in f:
            p = line.rstrip('\n').split('\t')
            out[p[0]] = p[i]
    return out


def rule_labels(pred_path, rule):
    """Re-decides Unassigned from a --details table: rule = (kind, alpha, min_probability)."""
    kind, alpha, minp = rule
    out = {}
    with open(pred_path) as f:
        h = f.readline().rstrip('\n').split('\t')
        ic, it, ib = h.index('confidence'), h.index('typicality'), h.index('closest')
        for line in f:
            p = line.rstrip('\n').split('\t')
            conf, typ = float(p[ic]), float(p[it])
            un = (kind in ('probability', 'either') and conf < minp) or (kind in ('typicality', 'either') and typ < alpha)
            out[p[0]] = 'Unassigned' if un else p[ib]
    return out


def score(truth, pred_path, known, column='label'):
    pred = common.read_pred(pred_path) if column == 'label' else read_column(pred_path, column)
    if pred is None:
        return None
    s = common.score(truth, pred, known)
    return {k: s[k] for k in ('n', 'accuracy', 'kappa', 'macro_f1', 'missing')}


def ref_labels(ref):
    with open(os.path.join(ref, 'labels.tsv')) as f:
        return set(l.rstrip('\n').split('\t')[1] for l in f if '\t' in l)


def scored_run(w, method, ref, qry, truth, out, model=None, encoder=None, extra=()):
    secs, err, fallback = w.predict(method, ref, qry, out, model, encoder, extra)
    r = {'seconds': secs}
    if fallback:
        r['fallback'] = fallback
    if err:
        r['error'] = err
        return r
    known = ref_labels(ref)
    r['score'] = score(truth, out, known)
    nr = score(truth, out, known, 'closest')
    if nr:
        r['no_rule'] = nr
    return r


# ---------------------------------------------------------------- stages

def stage_within(w, datasets):
    """Each labelled set: ours and the peers on common.split's reference/query folders."""
    for d in datasets:
        path = w.path('results', 'within', d + '.json')
        res = jload(path) if os.path.exists(path) else {}
        model = w.model_for(d)
        model_u = w.model_unlabelled()
        # scPretrain's PyTorch encoder only when its peer runs (pretrain_ref.py takes long).
        enc = None if w.a.skip_peers or 'scpt' not in peers(w.a) or torch_seeds(w.a) == 0 else w.peer_encoder_unlabelled()
        for seed in range(w.a.seeds):
            ref, qry, truth = w.split_dirs(d, seed)
            methods = ours(w.a) + ([] if w.a.skip_peers or seed >= w.a.peer_seeds else
                                   [m for m in peers(w.a) if m not in TORCH_PEERS or seed < torch_seeds(w.a)])
            for m in methods:
                key = '%s/%d' % (m, seed)
                if key in res:
                    continue
                log('within', d, m, seed)
                try:
                    res[key] = scored_run(w, m, ref, qry, truth, w.path('pred', 'within', d, 'seed%d' % seed, m + '.tsv'),
                                          model_u if m == 'head-u' else model, enc)
                except NotCached:
                    continue
                jsave(path, res)


def stage_eval(w, datasets):
    """scpt eval: AUROC/AUPRC with and without pre-training, representations, held-out types."""
    for d in datasets:
        out = w.path('results', 'eval', d + '.json')
        if os.path.exists(out):
            continue
        log('eval', d)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        try:
            run([SCPT, '-q', 'eval', os.path.join(DATA, d), '--label-column', 'label', '--model', w.model_for(d),
                 '--seeds', str(w.a.eval_seeds or w.a.seeds), '--modes', 'head,scratch', '--hold-out-types', '--json', out, '--transform', 'log1p',
                 '--orthologs', ORTHOLOGS])
        except Exception as e:
            jsave(out, {'error': str(e)[:300]})


def quantized(w, model, q):
    out = model[:-len('.scpt')] + '.%s.scpt' % q
    if not os.path.exists(out):
        run([SCPT, '-q', 'quantize', '--in', model, '--out', out, '--type', q])
    return out


def stage_quantize(w, datasets):
    """Each leave-dataset-out model quantized to q8 and q4 (`scpt quantize`) against f32: head mode on
    the within-dataset splits (the f32 runs are the `head` runs of stage_within)."""
    for d in datasets:
        path = w.path('results', 'quantize', d + '.json')
        res = jload(path) if os.path.exists(path) else {}
        model = w.model_for(d)
        for q in ('q8', 'q4'):
            qm = quantized(w, model, q)
            for seed in range(w.a.seeds):
                key = '%s/%d' % (q, seed)
                if key in res:
                    continue
                ref, qry, truth = w.split_dirs(d, seed)
                log('quantize', d, q, seed)
                try:
                    res[key] = scored_run(w, 'head', ref, qry, truth,
                                          w.path('pred', 'quantize', d, 'seed%d' % seed, q + '.tsv'), qm)
                except NotCached:
                    continue
                jsave(path, res)


def write_mapped(src, dst, mapping, with_labels):
    """A copy of a dataset with labels mapped (cells whose label maps to None are left out)."""
    if os.path.exists(os.path.join(dst, 'truth.json')):
        return jload(os.path.join(dst, 'truth.json'))
    X, genes, barcodes, labels = common.read_dir(os.path.join(DATA, src))
    keep, lab = [], []
    for i, l in enumerate(labels):
        if l in (None, ''):
            continue
        m = l if mapping is None else mapping.get(l)
        if m is None:
            continue
        keep.append(i)
        lab.append(m)
    common.write_dir(dst, X[keep], genes, [barcodes[i] for i in keep], lab if with_labels else None)
    truth = {barcodes[i]: l for i, l in zip(keep, lab)}
    jsave(os.path.join(dst, 'truth.json'), truth)
    return truth


def stage_transfer(w, pairs, transforms=('log1p',), tag='transfer'):
    for name, kind, a, amap, b, bmap in pairs:
        key = name.replace(' ', '_').replace('>', '').replace('/', '_').replace('(', '').replace(')', '').replace('&', 'and')
        path = w.path('results', tag, key + '.json')
        res = jload(path) if os.path.exists(path) else {'name': name, 'kind': kind, 'reference': a, 'query': b}
        ref = w.path('transfer', key, 'ref')
        qry = w.path('transfer', key, 'query')
        write_mapped(a, ref, amap, True)
        truth = write_mapped(b, qry, bmap, False)
        for tr in transforms:
            model = w.model_without(holdout_group(a) + holdout_group(b), tr)
            # The transform comparison needs only the modes a transform changes (head-u's model is log1p).
            methods = ours(w.a) if tag == 'transfer' else ['head', 'full', 'scratch']
            if tag == 'transfer' and not w.a.skip_peers:
                methods += peers(w.a)
            for m in methods:
                k = m if tr == 'log1p' else '%s/%s' % (m, tr)
                if k in res:
                    continue
                log(tag, name, k)
                enc = w.peer_encoder_unlabelled() if m == 'scpt' else None
                mod = w.model_unlabelled() if m == 'head-u' else model
                extra = ['--transform', tr] if m == 'scratch' else []
                try:
                    res[k] = scored_run(w, m, ref, qry, truth, w.path('pred', tag, key, k.replace('/', '_') + '.tsv'),
                                        mod, enc, extra)
                except NotCached:
                    continue
                jsave(path, res)


# ---------------------------------------------------------------- rendering

def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def fmt(x, d=3):
    return '—' if x is None else ('%.*f' % (d, x))


RULE = None  # (kind, alpha, min_probability) to re-decide Unassigned in our tables; None: as written


def rescored(w, d, method, seed):
    """Our score for a within-dataset run under RULE, from the stored --details predictions."""
    key = (d, method, seed, RULE)
    if key not in _rescore_cache:
        pred = w.path('pred', 'within', d, 'seed%d' % seed, method + '.tsv')
        truth = jload(w.path('splits', d, 'seed%d' % seed, 'truth.json'))
        known = ref_labels(w.path('splits', d, 'seed%d' % seed, 'ref'))
        s = common.score(truth, rule_labels(pred, RULE), known)
        _rescore_cache[key] = {k: s[k] for k in ('n', 'accuracy', 'kappa', 'macro_f1')}
    return _rescore_cache[key]


_rescore_cache = {}


def within_means(res, method, field, seeds, column='score', w=None, d=None):
    """Mean over seeds 0..seeds-1 (an int) or over the given seeds (a list) where the method ran."""
    vals = []
    for s in (range(seeds) if isinstance(seeds, int) else seeds):
        r = res.get('%s/%d' % (method, s))
        if r and column in r:
            if RULE and w and method in OURS and column == 'score':
                vals.append(rescored(w, d, method, s)[field])
            else:
                vals.append(r[column][field])
    return mean(vals) if vals else None


def fell_back(res, method):
    return any(isinstance(v, dict) and v.get('fallback') for k, v in res.items() if k.split('/')[0] == method)


def within_table(w, d):
    p = w.path('results', 'within', d + '.json')
    return jload(p) if os.path.exists(p) else None


def render_summary(w, datasets, L):
    """The headline: ours against the peers, each comparison on the sets (and splits) where both ran."""
    a = w.a
    tabs = {d: within_table(w, d) for d in datasets}
    tabs = {d: t for d, t in tabs.items() if t}

    def common_seeds(res, methods):
        return [s for s in range(a.seeds) if all('score' in res.get('%s/%d' % (m, s), {}) for m in methods)]

    def compare(methods, field='macro_f1'):
        """Per set, the mean over the seeds where every method ran: the same splits for all."""
        rows = []
        for d, res in tabs.items():
            seeds = common_seeds(res, methods)
            if seeds:
                rows.append((d, {m: within_means(res, m, field, seeds, w=w, d=d) for m in methods}))
        return rows, {m: mean([r[1][m] for r in rows]) for m in methods}

    L += ['## Summary', '']
    rows, m = compare(['head', 'full', 'scratch', 'lr', 'lr-cv', 'svm'])
    if rows:
        L.append('- Mean macro-F1 over the %d labelled sets where they all ran (same splits, %d seeds): **ours (`head`, '
                 'the default) %.3f**, `full` %.3f, `scratch` %.3f; CellTypist-style logistic regression %.3f with C = 1, '
                 '%.3f with C tuned by cross-validation (`lr-cv`), linear SVM %.3f. `head` is at or above the tuned LR '
                 '(within 0.005) on %d of %d sets.'
                 % (len(rows), a.seeds, m['head'], m['full'], m['scratch'], m['lr'], m['lr-cv'], m['svm'],
                    sum(r[1]['head'] >= r[1]['lr-cv'] - 0.005 for r in rows), len(rows)))
    rows, m = compare(['head', 'full', 'scratch', 'lr', 'lr-cv', 'svm'], 'accuracy')
    if rows:
        L.append('- The same comparison by accuracy: `head` %.3f, LR %.3f (C = 1), %.3f (tuned), SVM %.3f.' % (
            m['head'], m['lr'], m['lr-cv'], m['svm']))
    rows, m = compare(['head', 'scpt', 'scpt0'])
    if rows:
        L.append('- Against scPretrain\'s own PyTorch network, on the %d sets and splits where it ran (%d runs): ours '
                 '(`head`) %.3f; PyTorch scPretrain %.3f with pre-training, %.3f without.' % (
                     len(rows), sum(len(common_seeds(tabs[d], ['head', 'scpt', 'scpt0'])) for d, _ in rows),
                     m['head'], m['scpt'], m['scpt0']))
    rows, m = compare(['head', 'scpt'])
    if rows:
        L.append('- Against its pre-trained network alone, on the %d sets and splits where it ran: ours (`head`) %.3f, '
                 'PyTorch scPretrain %.3f; `head` at or above it (within 0.005) on %d of %d sets.' % (
                     len(rows), m['head'], m['scpt'], sum(r[1]['head'] >= r[1]['scpt'] - 0.005 for r in rows), len(rows)))
    pt = [(d, r) for d, r in compare(['head', 'scratch'])[0] if not fell_back(tabs[d], 'head')]
    better = [d for d, r in pt if r['head'] > r['scratch'] + 0.005]
    worse = ['%s (%.3f vs %.3f)' % (d, r['head'], r['scratch']) for d, r in pt if r['head'] < r['scratch'] - 0.005]
    if pt:
        L.append('- Pre-training (`head` vs `scratch`, macro-F1): better on %d of %d sets whose genes meet the model, '
                 'within 0.005 on %d, worse on %d%s.' % (len(better), len(pt), len(pt) - len(better) - len(worse),
                                                        len(worse), (': ' + ', '.join(worse)) if worse else ''))
    missing = [d for d in datasets if d not in tabs or
               d not in [r[0] for r in compare(['head', 'full', 'scratch', 'lr', 'lr-cv', 'svm'])[0]]]
    if missing:
        L.append('- **Not evaluated (within the dataset) in this run:** %s.' % ', '.join(missing))
    L.append('')


def render_quantize(w, datasets, L):
    rows = []
    for d in datasets:
        res, p = within_table(w, d), w.path('results', 'quantize', d + '.json')
        if not res or not os.path.exists(p) or fell_back(res, 'head'):
            continue
        q = jload(p)
        r = {}
        for field in ('accuracy', 'macro_f1'):
            r['f32', field] = within_means(res, 'head', field, w.a.seeds)
            for t in ('q8', 'q4'):
                r[t, field] = within_means(q, t, field, w.a.seeds)
        if all(v is not None for v in r.values()):
            rows.append((d, r))
    if not rows:
        return
    L += ['## Quantized models (q8, q4) against f32', '',
          'Each leave-out model converted with `scpt quantize --type q8|q4` and used in `head` mode (the default) '
          'on the same splits; f32 = the `head` column above. Means over the %d labelled sets whose genes meet the '
          'model; differences in points (1 point = 0.01).' % len(rows), '',
          '| | f32 | q8 | q4 | q8 - f32 | q4 - f32 | worst set q8 | worst set q4 |', '|---|---:|---:|---:|---:|---:|---:|---:|']
    for field, title in (('accuracy', 'accuracy'), ('macro_f1', 'macro-F1')):
        f = mean([r[('f32', field)] for _, r in rows])
        q8 = mean([r[('q8', field)] for _, r in rows])
        q4 = mean([r[('q4', field)] for _, r in rows])
        w8 = min(rows, key=lambda x: x[1][('q8', field)] - x[1][('f32', field)])
        w4 = min(rows, key=lambda x: x[1][('q4', field)] - x[1][('f32', field)])
        L.append('| %s | %s | %s | %s | %+.2f | %+.2f | %s %+.2f | %s %+.2f |' % (
            title, fmt(f), fmt(q8), fmt(q4), 100 * (q8 - f), 100 * (q4 - f),
            w8[0], 100 * (w8[1][('q8', field)] - w8[1][('f32', field)]),
            w4[0], 100 * (w4[1][('q4', field)] - w4[1][('f32', field)])))
    L.append('')


def render(w, datasets):
    L = []
    a = w.a
    commit = subprocess.run(['git', '-C', ROOT, 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
    L += ['# Evaluation', '',
          ('Rendered by `tools/eval/evaluate.py --render-only` from the runs cached in build/eval, made by '
           if a.render_only else 'Generated by ') +
          '`/usr/bin/python3 tools/eval/evaluate.py --seeds %d --peer-seeds %d --torch-seeds %d --eval-seeds %d --epochs %d` '
          '(commit %s, %s) on %s, %d cores, %s. Every number of ours comes from `build/bin/scpt`; the peers are '
          '`../shared/peers/peers.py` (lr, svm, scpt0, scpt with `pretrain_ref.py`) and `tools/eval/lr_tuned.py` (lr-cv: the same LR with C cross-validated); scores are '
          '`common.score` with `known` = the reference\'s types (a cell whose type the reference lacks is right only '
          'when `Unassigned`).' % (a.seeds, a.peer_seeds, torch_seeds(a), a.eval_seeds or a.seeds, a.epochs, commit, datetime.date.today().isoformat(), cpu,
                                   os.cpu_count(), platform.platform()), '']
    L += ['**Protocol.** scPretrain\'s split (`common.split`): reference = min(60%%,1000) + min(10%%,1000) labelled '
          'cells, query = the rest, seeds 0..%d. **Leave-dataset-out pre-training** (by groups): each dataset is '
          'evaluated with a model pre-trained (`scpt pretrain --epochs %d`, human and mouse joined through the ortholog '
          'table) on the raw-count corpus without it: %s. A dataset of the corpus is left out together with its '
          'group (%s), so its model has seen neither it nor its closest relatives; the datasets outside the corpus '
          'use the model of the whole corpus. The peer `scpt` uses an encoder from `pretrain_ref.py` (%d epochs) on the '
          'unlabelled sets only (%s: the PyTorch reference holds the corpus densely and needs ~10 min per epoch on the '
          'whole corpus on this machine); `head-u` is ours pre-trained on that same corpus. Ours: `head` (default: '
          'frozen encoder, logistic regression on its output and 50 reference principal components), `head-mlp` '
          '(frozen encoder, the paper\'s 100-unit head), `full` (the paper\'s fine-tuning), `scratch` '
          '(`--no-pretrained`, the paper\'s baseline). Our scores include the Unassigned rule (a known-type cell '
          'called Unassigned counts as wrong).'
          % (a.seeds - 1, a.epochs, ', '.join(CORPUS), '; '.join(' + '.join(g) for g in HOLDOUT_GROUPS),
             a.peer_epochs, ', '.join(UNLABELLED)), '']
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'EVALUATION_NOTES.md')
    if os.path.exists(notes):
        L += [open(notes).read().rstrip('\n'), '']
    render_summary(w, datasets, L)
    methods = ours(a) + PEER_METHODS
    for field, title in (('macro_f1', 'macro-F1'), ('accuracy', 'accuracy')):
        L += ['## Within each dataset: %s (mean over seeds)' % title, '',
              '| dataset | cells | ' + ' | '.join(methods) + ' |', '|---|---:|' + '---:|' * len(methods)]
        cols = {m: [] for m in methods}
        for d in datasets:
            p = w.path('results', 'within', d + '.json')
            if not os.path.exists(p):
                continue
            res = jload(p)
            n = len(jload(w.path('splits', d, 'seed0', 'truth.json'))) if os.path.exists(w.path('splits', d, 'seed0', 'truth.json')) else 0
            row = []
            vals = {m: within_means(res, m, field, a.seeds, w=w, d=d) for m in methods}
            best = max((v for v in vals.values() if v is not None), default=None)
            for m in methods:
                v = vals[m]
                cols[m].append(v)
                cell = fmt(v)
                if v is not None and best is not None and v >= best - 1e-9:
                    cell = '**%s**' % cell
                if v is None and ('%s/0' % m) in res and 'error' in res['%s/0' % m]:
                    cell = 'error'
                elif v is not None and fell_back(res, m):
                    cell += ' †'
                row.append(cell)
            L.append('| %s | %d | %s |' % (d, n, ' | '.join(row)))
        complete = [i for i in range(len(cols[methods[0]])) if all(cols[m][i] is not None for m in methods)]
        L.append('| **mean (%d sets with every method)** | | %s |' % (
            len(complete), ' | '.join(fmt(mean([cols[m][i] for i in complete])) for m in methods)))
        L.append('| mean (every set run) | | %s |' % ' | '.join(fmt(mean(cols[m])) for m in methods))
        L += ['', '†: the dataset\'s genes cannot meet the model (no gene names, or mouse Ensembl ids only), so scpt '
              'trained without pre-training, as it does with its default model (with a warning): `head` = its logistic '
              'regression on the reference\'s 50 principal components alone, `full` = the network from scratch. These '
              'sets are left out of the pre-training comparison below.', '']
    # pre-training helps?
    L += ['## Does pre-training help? (macro-F1, per dataset)', '']
    for with_pt, without in (('head', 'scratch'), ('full', 'scratch'), ('scpt', 'scpt0')):
        wins = losses = ties = 0
        worse = []
        for d in datasets:
            p = w.path('results', 'within', d + '.json')
            if not os.path.exists(p):
                continue
            res = jload(p)
            x, y = within_means(res, with_pt, 'macro_f1', a.seeds, w=w, d=d), within_means(res, without, 'macro_f1', a.seeds, w=w, d=d)
            if x is None or y is None or fell_back(res, with_pt):
                continue
            if x > y + 0.005:
                wins += 1
            elif x < y - 0.005:
                losses += 1
                worse.append('%s (%.3f vs %.3f)' % (d, x, y))
            else:
                ties += 1
        L.append('- `%s` vs `%s`: better on %d, within 0.005 on %d, worse on %d%s' % (
            with_pt, without, wins, ties, losses, (': ' + ', '.join(worse)) if worse else ''))
    L.append('')
    # times
    L += ['## Time per run (seconds: fit + predict, one thread; mean over seeds)', '',
          '| dataset | ' + ' | '.join(methods) + ' |', '|---|' + '---:|' * len(methods)]
    tcols = {m: [] for m in methods}
    for d in datasets:
        p = w.path('results', 'within', d + '.json')
        if not os.path.exists(p):
            continue
        res = jload(p)
        row = []
        for m in methods:
            v = mean([res['%s/%d' % (m, s)]['seconds'] for s in range(a.seeds)
                      if '%s/%d' % (m, s) in res and 'error' not in res['%s/%d' % (m, s)]])
            tcols[m].append(v)
            row.append(fmt(v, 2))
        L.append('| %s | %s |' % (d, ' | '.join(row)))
    L.append('| median (every set run) | %s |' % ' | '.join(
        fmt(sorted(x for x in tcols[m] if x is not None)[len([x for x in tcols[m] if x is not None]) // 2], 2)
        if any(x is not None for x in tcols[m]) else '—' for m in methods))
    L += ['', 'Ours: wall time of the whole `scpt annotate` process (reading the folders included); peers: the '
          'seconds `peers.py` reports (fit + predict, reading excluded).', '']
    render_quantize(w, datasets, L)
    render_eval(w, datasets, L)
    render_transfer(w, L)
    (open(a.out, 'w')).write('\n'.join(L) + '\n')
    log('wrote', a.out)


def render_eval(w, datasets, L):
    ev = {}
    for d in datasets:
        p = w.path('results', 'eval', d + '.json')
        if os.path.exists(p):
            ev[d] = jload(p)
    L += ['## scpt eval: ranking quality and representations', '',
          'From `scpt eval DATA --label-column label --model M --seeds %d --modes head,scratch --hold-out-types` on the '
          'same splits' % (w.a.eval_seeds or w.a.seeds) + ' (macro AUROC and AUPRC of the probabilities; ECE = expected calibration error of the confidence).',
          '', '| dataset | head AUROC | head AUPRC | head ECE | scratch AUROC | scratch AUPRC | scratch ECE | '
          'K-means ARI emb / PCA | NMI emb / PCA | LR macro-F1 emb / PCA |', '|---|' + '---:|' * 9]
    for d, e in ev.items():
        if 'error' in e:
            L.append('| %s | error: %s |' % (d, e['error'][:120].replace('|', '/')))
            continue
        m = {x['mode']: x for x in e['modes']}
        rep = {x['name']: x for x in e['representations']}

        def g(mode, f):
            return fmt(m[mode]['mean'][f]) if mode in m and 'skipped' not in m[mode] else '—'

        def r(f):
            return '%s / %s' % (fmt(rep['embedding'][f]) if 'embedding' in rep else '—',
                                fmt(rep['pca'][f]) if 'pca' in rep else '—')
        L.append('| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            d, g('head', 'auroc'), g('head', 'auprc'), g('head', 'ece'), g('scratch', 'auroc'), g('scratch', 'auprc'),
            g('scratch', 'ece'), r('ari'), r('nmi'), r('lr_macro_f1')))
    L.append('')
    # One confusion matrix as `scpt eval` reports it (rows: truth, columns: predicted, then Unassigned).
    ex = next((d for d in ('pbmc68k_reduced', 'pbmc3k_seurat_labels') if d in ev and 'modes' in ev[d]), None)
    if ex:
        e = ev[ex]
        m = next(x for x in e['modes'] if x['mode'] == 'head')
        cls = e['classes']
        L += ['Confusion matrix of `head` on %s (seed 0; rows: true type, columns: predicted type, last: '
              'Unassigned):' % ex, '', '| true \\ predicted | ' + ' | '.join(str(i + 1) for i in range(len(cls))) +
              ' | Unassigned |', '|---|' + '---:|' * (len(cls) + 1)]
        for i, row in enumerate(m['confusion']):
            if any(row):  # the last row (truth Unassigned) is empty within a dataset
                L.append('| %s | %s |' % ('%d %s' % (i + 1, cls[i]) if i < len(cls) else 'Unassigned',
                                          ' | '.join(str(v) for v in row)))
        L.append('')
    # held-out types
    rules = {}
    for d, e in ev.items():
        for h in e.get('hold_out', []):
            rules.setdefault(h['rule'], []).append(h)
    if rules:
        L += ['## Unknown types: each type held out of the reference in turn', '',
              'For every dataset and seed, each type with at least 5 test cells is removed from the reference; the '
              'test cells (all types) are labelled in `head` mode. caught = share of the held-out type\'s cells called '
              'Unassigned; known lost = share of the other cells called Unassigned; known acc = share of the other '
              'cells given their true type; accuracy and macro-F1 as `common.score` with `known`. Means over %d '
              'datasets (each dataset weighs the same).' % len(ev), '',
              '| rule | caught | known lost | known acc | accuracy | macro-F1 |', '|---|---:|---:|---:|---:|---:|']
        for rule, hs in rules.items():
            L.append('| %s | %s | %s | %s | %s | %s |' % (
                rule, fmt(mean([h['caught'] for h in hs])), fmt(mean([h['known_lost'] for h in hs])),
                fmt(mean([h['known_accuracy'] for h in hs])), fmt(mean([h['accuracy'] for h in hs])),
                fmt(mean([h['macro_f1'] for h in hs]))))
        L.append('')


def render_transfer(w, L):
    for tag, title in (('transfer', 'Across datasets: technologies, batches, species'),
                       ('transform', 'Input transform: log1p of counts vs counts per 10k then log1p')):
        d = w.path('results', tag)
        if not os.path.isdir(d):
            continue
        rows = [jload(os.path.join(d, f)) for f in sorted(os.listdir(d)) if f.endswith('.json')]
        keys = []
        for r in rows:
            for k in r:
                if isinstance(r[k], dict) and k not in keys:
                    keys.append(k)
        L += ['## ' + title, '', 'Reference = every labelled cell of the first dataset, query = every cell of the '
              'second; labels mapped to shared names (tools/eval/eval_sets.py); models pre-trained without both. '
              'Cells: macro-F1 / accuracy.', '',
              '| pair | kind | ' + ' | '.join(keys) + ' |', '|---|---|' + '---|' * len(keys)]
        for r in rows:
            cells = []
            for k in keys:
                x = r.get(k)
                if not x:
                    cells.append('—')
                elif 'error' in x:
                    cells.append('error')
                else:
                    cells.append('%s / %s' % (fmt(x['score']['macro_f1']), fmt(x['score']['accuracy'])))
            L.append('| %s | %s | %s |' % (r['name'], r['kind'], ' | '.join(cells)))
        means = []
        for k in keys:
            xs = [r[k] for r in rows if isinstance(r.get(k), dict) and 'score' in r[k]]
            means.append('%s / %s' % (fmt(mean([x['score']['macro_f1'] for x in xs])),
                                      fmt(mean([x['score']['accuracy'] for x in xs]))) if len(xs) == len(rows) else '—')
        L.append('| **mean** | | %s |' % ' | '.join(means))
        L.append('')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--work', default=os.path.join(ROOT, 'build', 'eval'))
    ap.add_argument('--out', default=os.path.join(ROOT, 'EVALUATION.md'))
    ap.add_argument('--seeds', type=int, default=5)
    ap.add_argument('--peer-seeds', type=int, default=5)
    ap.add_argument('--torch-seeds', type=int, default=-1,
                    help='seeds of the PyTorch peers scpt0/scpt within datasets (default: --peer-seeds)')
    ap.add_argument('--peers', default='', help='peer methods within datasets, comma-separated (default: all)')
    ap.add_argument('--ours', default='', help='our methods within datasets, comma-separated (default: all of OURS)')
    ap.add_argument('--eval-seeds', type=int, default=0, help='seeds of the scpt eval stage (default: --seeds)')
    ap.add_argument('--epochs', type=int, default=50)
    ap.add_argument('--peer-epochs', type=int, default=20)
    ap.add_argument('--only', default='')
    ap.add_argument('--stages', default='within,transfer,transform,quantize,eval')
    ap.add_argument('--skip-peers', action='store_true')
    ap.add_argument('--render-only', action='store_true')
    ap.add_argument('--cached-only', action='store_true',
                    help='score only the runs already made (after parallel runs that wrote the same results files)')
    ap.add_argument('--rule', default='', help='re-decide our Unassigned calls: KIND:ALPHA:MINPROB, e.g. either:0.01:0.5')
    a = ap.parse_args()
    global RULE
    if a.rule:
        k, al, mp = a.rule.split(':')
        RULE = (k, float(al), float(mp))
    w = Work(a)
    datasets = labelled_sets()
    if a.only:
        datasets = [d for d in a.only.split(',') if d in datasets]  # in the order given
    stages = a.stages.split(',')
    if not a.render_only:
        run_stage = {'within': lambda: stage_within(w, datasets),
                     'transfer': lambda: stage_transfer(w, TRANSFERS),
                     'transform': lambda: stage_transfer(w, TRANSFORM_PAIRS, ('cp10k_log1p', 'log1p'), 'transform'),
                     'quantize': lambda: stage_quantize(w, datasets),
                     'eval': lambda: stage_eval(w, datasets)}
        for st in stages:  # in the order given
            run_stage[st]()
    render(w, labelled_sets() if not a.only else datasets)


if __name__ == '__main__':
    main()
