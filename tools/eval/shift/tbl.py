import numpy as np
from ana import evaluate
R = {t: evaluate(t) for t in ['before', 'after', 'none']}
print('| pair | before: known lost | caught | macro-F1 | after: known lost | caught | macro-F1 | `none` macro-F1 |')
print('|---|---:|---:|---:|---:|---:|---:|---:|')
f = lambda x: '-' if x != x else '%.3f' % x
for p in R['after']:
    b, a, n = R['before'][p], R['after'][p], R['none'][p]
    print('| %s | %s | %s | %s | %s | %s | %s | %s |' % (p, f(b[0]), f(b[1]), f(b[2]), f(a[0]), f(a[1]), f(a[2]), f(n[2])))
for t in R:
    sh = [v for p, v in R[t].items() if '__no_' not in p]; ho = [v for p, v in R[t].items() if '__no_' in p]
    print('%s: shift lost mean %.3f max %.3f F1 %.3f | held lost %.3f caught %.3f F1 %.3f' % (t, np.mean([v[0] for v in sh]), max(v[0] for v in sh), np.mean([v[2] for v in sh]), np.mean([v[0] for v in ho]), np.mean([v[1] for v in ho]), np.mean([v[2] for v in ho])))
