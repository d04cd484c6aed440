#!/usr/bin/python3
"""Reads an annotated .h5ad back with anndata (Debian's python3-anndata) and checks it against the
predictions TSV written beside it, and optionally against the input 10x/mtx folder the cells came
from. Used by the CLI test (tests/tools/scpt/cmd_annotate_h5ad_test.cpp) and the page's test
(tests/browser/h5ad_download.test.mjs). Prints one line "ok: ..." and exits 0, or says what differs
and exits 1.
Usage: h5ad_readback.py FILE.h5ad PRED.tsv [--mtx FOLDER] [--map] [--embedding]"""
import csv, gzip, os, sys, warnings

warnings.filterwarnings("ignore")
import anndata
import numpy as np
import scipy.io
import scipy.sparse as sp


def fail(msg):
    print("h5ad_readback: " + msg)
    sys.exit(1)


def main(argv):
    path, tsv = argv[1], argv[2]
    mtx = argv[argv.index("--mtx") + 1] if "--mtx" in argv else None
    a = anndata.read_h5ad(path)
    rows = list(csv.reader(open(tsv), delimiter="\t"))[1:]
    if list(a.obs_names) != [r[0] for r in rows]:
        fail("the cells differ from the TSV's (or their order)")
    for col in ("scpretrain_label", "scpretrain_closest"):
        if str(a.obs[col].dtype) != "category":
            fail(col + " is " + str(a.obs[col].dtype) + ", not categorical")
    labels = list(a.obs["scpretrain_label"].astype(str))
    if labels != [r[1] for r in rows]:
        fail("labels differ from the TSV's")
    conf = a.obs["scpretrain_confidence"].to_numpy()
    if np.max(np.abs(conf - np.array([float(r[2]) for r in rows]))) > 6e-5:
        fail("confidences differ from the TSV's")
    un = a.obs["scpretrain_unassigned"].to_numpy()
    if un.dtype != np.bool_ or list(un) != [l == "Unassigned" for l in labels]:
        fail("scpretrain_unassigned is not the bool 'label is Unassigned'")
    closest = list(a.obs["scpretrain_closest"].astype(str))
    # With majority voting the label is the over-cluster's vote; the cell's own is scpretrain_cell_label.
    own = list(a.obs["scpretrain_cell_label"].astype(str)) if "scpretrain_cell_label" in a.obs else labels
    if any(l != c for l, c in zip(own, closest) if l != "Unassigned"):
        fail("the closest type differs from an assigned label")
    if not sp.isspmatrix_csr(a.X) or a.X.dtype != np.float32:
        fail("X is " + type(a.X).__name__ + " " + str(a.X.dtype) + ", not a float32 CSR matrix")
    n = a.n_obs
    for key, flag in (("X_scpretrain", "--embedding"), ("X_umap", "--map")):
        if flag in argv:
            m = a.obsm.get(key)
            if m is None or m.shape[0] != n or not np.all(np.isfinite(m)):
                fail("obsm " + key + " is missing or not one finite row per cell")
    if "--map" in argv and a.obsm["X_umap"].shape[1] != 2:
        fail("X_umap is not 2D")
    if mtx:
        m = scipy.io.mmread(gzip.open(os.path.join(mtx, "matrix.mtx.gz"))).tocsr()
        barcodes = [l.split("\t")[0] for l in open(os.path.join(mtx, "barcodes.tsv")).read().split("\n") if l]
        if m.shape[0] != len(barcodes):
            m = m.T.tocsr()  # 10x: genes x cells
        at = {b: i for i, b in enumerate(barcodes)}
        want = m[[at[b] for b in a.obs_names]]
        if want.shape != a.X.shape or abs(want - a.X).max() > 0:
            fail("X differs from the input's values")
    print("ok: %d cells x %d genes, %d types, %d Unassigned, obsm %s" % (
        n, a.n_vars, len(a.obs["scpretrain_label"].cat.categories), int(un.sum()), sorted(a.obsm.keys())))


main(sys.argv)
