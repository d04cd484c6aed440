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
from eval_sets import (CORPUS, ORTHOLOGS, TRANSFERS, TRANSFORM_PAIRS, labelled_sets,  # noqa: E402
                       corpus_without)

SCPT = os.path.join(ROOT, 'build', 'bin', 'scpt')
ENV1 = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1')


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
        if not os.path.exists(out):
            os.makedirs(os.path.dirname(out), exist_ok=True)
            log('pretrain', name, transform, len(dirs), 'datasets')
            _, secs = run([SCPT, '-q', 'pretrain', '--out', out, '--epochs', str(self.a.epochs), '--threads', '2',
                           '--transform', transform, '--orthologs', ORTHOLOGS] + [os.path.join(DATA, d) for d in dirs])
            jsave(out + '.json', {'seconds': secs, 'datasets': dirs, 'transform': transform})
        return out

    def peer_encoder(self, name, dirs):
        out = self.path('models', '%s.pt' % name)
        if not os.path.exists(out):
            log('pretrain_ref.py', name)
            env = dict(ENV1, THREADS='2', OMP_NUM_THREADS='2')
            p, secs = run(['/usr/bin/python3', os.path.join(PEERS, 'pretrain_ref.py'), out, str(self.a.epochs)] +
                          [os.path.join(DATA, d) for d in dirs], env=env)
            jsave(out + '.json', {'seconds': secs, 'datasets': dirs})
        return out

    def model_for(self, dataset, transform='log1p'):
        """Leave-dataset-out: the corpus without `dataset` (the full corpus when it is not in it)."""
        dirs = corpus_without([dataset])
        name = 'without_' + dataset if dataset in CORPUS else 'corpus'
        return self.model(name, dirs, transform)

    def peer_encoder_for(self, dataset):
        dirs = corpus_without([dataset])
        return self.peer_encoder('without_' + dataset if dataset in CORPUS else 'corpus', dirs)

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
        """Runs a method; returns (seconds, error or None). Cached by the output file."""
        meta = out + '.json'
        if os.path.exists(meta):
            m = jload(meta)
            return m['seconds'], m.get('error')
        os.makedirs(os.path.dirname(out), exist_ok=True)
        err = None
        secs = 0.0
        try:
            if method in ('head', 'full', 'scratch'):
                cmd = [SCPT, '-q', 'annotate', '--reference', ref, '--labels', os.path.join(ref, 'labels.tsv'),
                       '--query', qry, '--out', out, '--threads', '1', '--orthologs', ORTHOLOGS] + list(extra)
                cmd += ['--no-pretrained'] if method == 'scratch' else ['--model', model, '--finetune', method]
                _, secs = run(cmd)
            else:
                cmd = ['/usr/bin/python3', os.path.join(PEERS, 'peers.py'), method, ref, qry, out]
                if method == 'scpt':
                    cmd.append(encoder)
                p, _ = run(cmd, timeout=3600)
                secs = json.loads(p.stdout.strip().splitlines()[-1])['seconds']
        except Exception as e:  # recorded, shown in the table
            err = str(e)[:300]
        jsave(meta, {'seconds': secs, 'error': err})
        return secs, err


def score(truth, pred_path, known):
    pred = common.read_pred(pred_path)
    return common.score(truth, pred, known)
