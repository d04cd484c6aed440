"""Writes the benchmark's reference and query folders: one labelled dataset split as the peers'
evaluation splits it (scPretrain's protocol, common.split), in the peers' common folder form, so
ours and the peers read the very same cells.
Usage: /usr/bin/python3 tools/benchkit/split.py DATASET_DIR OUT_DIR [SEED]  -> OUT_DIR/{ref,query}"""
import os, sys
sys.path.insert(0, os.environ.get('SCPT_PEERS', os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'peers')))
from common import read_dir, write_dir, split

src, out = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
X, genes, barcodes, labels = read_dir(src)
keep = [i for i, l in enumerate(labels) if l is not None]
X = X[keep]; barcodes = [barcodes[i] for i in keep]; labels = [labels[i] for i in keep]
ref, query = split(len(barcodes), seed)
ref.sort(); query.sort()
for name, idx in (('ref', ref), ('query', query)):
    write_dir(os.path.join(out, name), X[idx], genes, [barcodes[i] for i in idx], [labels[i] for i in idx])
print('%s: ref %d cells, query %d cells' % (out, len(ref), len(query)))
