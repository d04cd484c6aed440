import sys, os, json, numpy as np
sys.path.insert(0, '/work/shared/peers'); import common
def load_pred(path):
    with open(path) as f:
        h = f.readline().rstrip('\n').split('\t')
        rows = [l.rstrip('\n').split('\t') for l in f]
    return h, rows
def evaluate(tag, rule=None, pairs=None, verbose=True):
    out = {}
    for p in sorted(os.listdir('pairs')):
        if pairs and not any(p.startswith(x) for x in pairs): continue
        t = json.load(open('pairs/%s/truth.json' % p)); truth = t['truth']; known = set(t['known'])
        path = 'pred/%s/%s.tsv' % (tag, p)
        if not os.path.exists(path): continue
        h, rows = load_pred(path)
        pred = {r[0]: r[1] for r in rows} if rule is None else rule(h, rows, t)
        kn = [b for b in truth if truth[b] in known]; nv = [b for b in truth if truth[b] not in known]
        lost = np.mean([pred[b] == 'Unassigned' for b in kn]) if kn else float('nan')
        caught = np.mean([pred[b] == 'Unassigned' for b in nv]) if nv else float('nan')
        s = common.score(truth, pred, known)
        out[p] = (lost, caught, s['macro_f1'], s['accuracy'])
    return out
def table(res, title=''):
    print('##', title)
    for p, (l, c, f, a) in res.items(): print('%-34s lost %.3f caught %s F1 %.3f acc %.3f' % (p, l, '  -  ' if c != c else '%.3f' % c, f, a))
    sh = [v for p, v in res.items() if '__no_' not in p]; ho = [v for p, v in res.items() if '__no_' in p]
    if sh: print('SHIFT mean lost %.3f max %.3f F1 %.3f' % (np.mean([v[0] for v in sh]), max(v[0] for v in sh), np.mean([v[2] for v in sh])))
    if ho: print('HELD  mean lost %.3f caught %.3f (>=0.5: %d/%d) F1 %.3f' % (np.mean([v[0] for v in ho]), np.mean([v[1] for v in ho]), sum(v[1] >= .5 for v in ho), len(ho), np.mean([v[2] for v in ho])))
if __name__ == '__main__':
    table(evaluate(sys.argv[1]), sys.argv[1])
