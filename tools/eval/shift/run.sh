#!/bin/bash
# usage: run.sh TAG [scpt args...] : runs every pair, writes pred/TAG/<pair>.tsv
tag=$1; shift
mkdir -p pred/$tag
ls pairs | xargs -P 2 -I{} sh -c "test -s pred/$tag/{}.tsv || nice -n 10 ${SCPT:-build/bin/scpt} -q annotate --reference pairs/{}/ref --labels pairs/{}/ref/labels.tsv --query pairs/{}/query --out pred/$tag/{}.tsv --details --threads 1 --orthologs /work/shared/data/ref/scPretrain_orthologs_one2one.csv $* 2> pred/$tag/{}.err"
