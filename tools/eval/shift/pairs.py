# Builds shift pairs (every query type in the reference) and held-out-type pairs under ./pairs (run from a work folder; then run.sh TAG [scpt args], ana.py TAG, tbl.py).
import sys, os, json, numpy as np
sys.path.insert(0, '/work/shared/peers'); sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import common
from eval_sets import PBMC_MAP, CHETAH_COARSE, MOUSE_COARSE
DATA = '/work/shared/data'; OUT = 'pairs'
cache = {}
def load(name):
    if name not in cache: cache[name] = common.read_dir(os.path.join(DATA, name))
    return cache[name]
def obs_col(name, col):
    with open(os.path.join(DATA, name, 'obs.tsv')) as f:
        h = f.readline().rstrip('\n').split('\t'); i = h.index(col)
        return {p[0]: p[i] for p in (l.rstrip('\n').split('\t') for l in f)}
def subset(name, mapping=None, keep_fn=None):
    X, genes, bc, lab = load(name)
    idx, out = [], []
    for i, l in enumerate(lab):
        if not l: continue
        m = l if mapping is None else mapping.get(l)
        if m is None or (keep_fn and not keep_fn(bc[i], m)): continue
        idx.append(i); out.append(m)
    return X[idx], genes, [bc[i] for i in idx], out
def write(pair, ref, qry, drop=None, meta=None):
    d = os.path.join(OUT, pair)
    if os.path.exists(os.path.join(d, 'truth.json')): return
    Xr, gr, br, lr = ref
    if drop:
        k = [i for i, l in enumerate(lr) if l != drop]; Xr, br, lr = Xr[k], [br[i] for i in k], [lr[i] for i in k]
    Xq, gq, bq, lq = qry
    common.write_dir(os.path.join(d, 'ref'), Xr, gr, br, lr)
    common.write_dir(os.path.join(d, 'query'), Xq, gq, bq)
    json.dump({'truth': dict(zip(bq, lq)), 'known': sorted(set(lr)), 'held_out': drop, 'meta': meta or {}},
              open(os.path.join(d, 'truth.json'), 'w'))
def split(data, seed=0):
    X, g, b, l = data
    r, t = common.split(len(b), seed)
    return (X[r], g, [b[i] for i in r], [l[i] for i in r]), (X[t], g, [b[i] for i in t], [l[i] for i in t])

pb4 = subset('soupx_pbmc4k_10x', PBMC_MAP['soupx_pbmc4k_10x'])
pb3 = subset('pbmc3k_seurat_labels', PBMC_MAP['pbmc3k_seurat_labels'])
pb3np = subset('pbmc3k_seurat_labels', PBMC_MAP['pbmc3k_seurat_labels'], lambda b, m: m != 'Platelet')
zh = subset('garnett_zheng_sorted_pbmc', PBMC_MAP['garnett_zheng_sorted_pbmc'])
p68 = subset('pbmc68k_reduced', PBMC_MAP['pbmc68k_reduced'], lambda b, m: m != 'CD34+')
c3 = subset('cellbench_celseq2_3cl'); c5 = subset('cellbench_celseq2_5cl')
c5s = subset('cellbench_celseq2_5cl', None, lambda b, m: m in ('H1975', 'H2228', 'HCC827'))
batch = obs_col('cepo_human_pancreas_beta_ductal', 'batch')
cep = {k: subset('cepo_human_pancreas_beta_ductal', None, lambda b, m, k=k: batch[b] == 'batch %d' % k) for k in (1, 4, 5)}
hn = subset('chetah_headneck_ref', CHETAH_COARSE)
tmk = subset('tabula_muris_kidney_smartseq2_subset', MOUSE_COARSE['tabula_muris_kidney_smartseq2_subset'],
             lambda b, m: m in ('endothelial', 'immune'))
SHIFT = {
    'pbmc4k_to_pbmc3k': (pb4, pb3np), 'pbmc3k_to_pbmc4k': (pb3, pb4), 'pbmc4k_to_zheng': (pb4, zh),
    'pbmc4k_to_pbmc68k': (pb4, p68), 'pbmc3k_to_pbmc68k': (pb3, p68),
    'celseq_3cl_to_5cl': (c3, c5s), 'celseq_5cl_to_3cl': (c5, c3),
    'cepo_b1_to_b4': (cep[1], cep[4]), 'cepo_b4_to_b1': (cep[4], cep[1]), 'cepo_b1_to_b5': (cep[1], cep[5]),
    'cepo_b5_to_b4': (cep[5], cep[4]),
    'human_hn_to_mouse_kidney': (hn, tmk),
}
HELD = {  # (reference, query, types to hold out in turn)
    'x_pbmc4k_to_pbmc3k': (pb4, pb3np, ['B', 'NK', 'Myeloid', 'CD8 T', 'CD4 T']),
    'x_pbmc3k_to_pbmc4k': (pb3, pb4, ['B', 'NK', 'Myeloid', 'CD8 T', 'CD4 T']),
    'x_celseq_5cl_to_3cl': (c5, c3, ['H1975', 'H2228', 'HCC827']),
    'w_pbmc4k': split(pb4) + (['B', 'NK', 'Myeloid', 'CD8 T', 'CD4 T'],),
    'w_celseq_5cl': split(c5) + (['A549', 'H838', 'H1975', 'H2228', 'HCC827'],),
    'w_pbmc3k': split(subset('pbmc3k_seurat_labels')) + (['B', 'NK', 'CD14+ Mono', 'CD8 T', 'Memory CD4 T', 'FCGR3A+ Mono'],),
}
if __name__ == '__main__':
    for k, (r, q) in SHIFT.items(): write(k, r, q); print(k, len(r[2]), len(q[2]), sorted(set(q[3])))
    for k, (r, q, types) in HELD.items():
        for t in types: write('%s__no_%s' % (k, t.replace(' ', '_')), r, q, drop=t)
        print(k)
