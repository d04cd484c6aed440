#!/usr/bin/python3
"""Compares two HDF5 files as h5py (Debian's python3-h5py) reads them: the same groups and
datasets, each dataset of the same dtype, shape and values, each object with the same attributes
(names, dtypes, values). Storage (chunks, filters, object versions) may differ. Prints
"same: N objects" and exits 0, or the first difference and exits 1. Used by
tests/core/io/h5_file_writer_test.cpp to hold core's HDF5 writer to what libhdf5 writes.
Usage: h5_same.py A.h5 B.h5"""
import sys

import h5py
import numpy as np


def fail(msg):
    print("h5_same: " + msg)
    sys.exit(1)


def same_values(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def items(f):
    out = {"/": f}
    f.visititems(lambda name, o: out.__setitem__("/" + name, o))
    return out


def main(a_path, b_path):
    a, b = items(h5py.File(a_path, "r")), items(h5py.File(b_path, "r"))
    if sorted(a) != sorted(b):
        fail("objects differ: only in A %s, only in B %s" % (sorted(set(a) - set(b)), sorted(set(b) - set(a))))
    for path in sorted(a):
        x, y = a[path], b[path]
        if isinstance(x, h5py.Dataset) != isinstance(y, h5py.Dataset):
            fail(path + " is a dataset in one file only")
        if isinstance(x, h5py.Dataset):
            if x.dtype != y.dtype or x.shape != y.shape:
                fail("%s: %s %s vs %s %s" % (path, x.dtype, x.shape, y.dtype, y.shape))
            if h5py.check_string_dtype(x.dtype):
                if list(x.asstr()[()]) != list(y.asstr()[()]):
                    fail(path + ": strings differ")
            elif not same_values(x[()], y[()]):
                fail(path + ": values differ")
        if sorted(x.attrs) != sorted(y.attrs):
            fail("%s: attributes %s vs %s" % (path, sorted(x.attrs), sorted(y.attrs)))
        for k in x.attrs:
            u, v = x.attrs[k], y.attrs[k]
            if type(u) != type(v) or not same_values(u, v):
                fail("%s@%s: %r vs %r" % (path, k, u, v))
    print("same: %d objects" % len(a))


main(sys.argv[1], sys.argv[2])
