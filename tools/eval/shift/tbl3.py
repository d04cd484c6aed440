# The shift-pair table of EVALUATION.md over seeds (run from the work folder after run.sh/peers.sh):
#   ours    = pred/g500{,_s1,_s2}       (defaults), or the tags given as arguments
#   none    = pred/g500none{,_s1,_s2}   (--unknown none)
#   enc     = pred/enc_s{0,1,2}         (--reference-genes 0: encoder outputs + PCs, the head before)
#   lr, svm = pred/lr, pred/svm         (peers.sh: deterministic, one run)
import sys
import numpy as np
from ana import evaluate
SEEDS = {'ours': ['g500', 'g500_s1', 'g500_s2'], 'none': ['g500none', 'g500none_s1', 'g500none_s2'],
         'enc': ['enc_s0', 'enc_s1', 'enc_s2'], 'lr': ['lr'], 'svm': ['svm']}
if len(sys.argv) > 1: SEEDS['ours'] = sys.argv[1:]
R = {k: [evaluate(t) for t in v] for k, v in SEEDS.items()}
pairs = list(R['ours'][0])
def m(k, p, i):
    xs = [r[p][i] for r in R[k] if p in r]
    return float(np.mean(xs)) if xs else float('nan')
f = lambda x: '-' if x != x else '%.3f' % x
print('| pair | ours: known lost | caught | macro-F1 | ours, `--unknown none` | head without marker genes | LR | SVM |')
print('|---|---:|---:|---:|---:|---:|---:|---:|')
for p in pairs:
    print('| %s | %s | %s | %s | %s | %s | %s | %s |' % (p, f(m('ours', p, 0)), f(m('ours', p, 1)), f(m('ours', p, 2)),
          f(m('none', p, 2)), f(m('enc', p, 2)), f(m('lr', p, 2)), f(m('svm', p, 2))))
for name, sel in (('shift pairs (every query type known)', lambda p: '__no_' not in p),
                  ('held-out-type pairs', lambda p: '__no_' in p)):
    ps = [p for p in pairs if sel(p)]
    mean = lambda k, i: float(np.mean([m(k, p, i) for p in ps]))
    print('| **mean, %d %s** | %s | %s | %s | %s | %s | %s | %s |' % (len(ps), name, f(mean('ours', 0)), f(mean('ours', 1)) if '__no_' in ps[0] else '-',
          f(mean('ours', 2)), f(mean('none', 2)), f(mean('enc', 2)), f(mean('lr', 2)), f(mean('svm', 2))))
ho = [p for p in pairs if '__no_' in p]
print()
print('held-out pairs with at least half of the held-out type caught: %d of %d; known lost max over shift pairs: %.3f' % (
    sum(m('ours', p, 1) >= 0.5 for p in ho), len(ho), max(m('ours', p, 0) for p in pairs if '__no_' not in p)))
