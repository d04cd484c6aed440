#!/bin/bash
# usage: peers.sh METHOD : runs a peer of ../shared/peers (lr, svm, scpt0) on every pair, writes pred/METHOD/<pair>.tsv
m=$1
mkdir -p pred/$m
ls pairs | xargs -P 2 -I{} sh -c "test -s pred/$m/{}.tsv || OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 nice -n 10 /usr/bin/python3 /work/shared/peers/peers.py $m pairs/{}/ref pairs/{}/query pred/$m/{}.tsv > pred/$m/{}.log 2>&1"
