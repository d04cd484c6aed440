"""The datasets of the evaluation (../shared/data): the pre-training corpus, the labelled sets,
and the transfer pairs with their label mappings. Kept apart from evaluate.py so the choices
are easy to read and to cite in EVALUATION.md."""
import os

DATA = os.environ.get('SCPT_DATA', os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))), 'shared', 'data'))
ORTHOLOGS = os.path.join(DATA, 'ref', 'scPretrain_orthologs_one2one.csv')

# Pre-training corpus: every raw-count dataset (scPretrain pre-trains on log1p of counts), except
#  - allen_human_m1_10x_markers: 76,533 cells of only 141 marker genes; it would outweigh the
#    rest 10:1 in cells, and pretrain_ref.py holds the corpus densely (76k x vocabulary floats);
#  - scmerge_mesc_kolodziejczyk: mouse Ensembl ids only, which no table here names.
CORPUS = [
    'kang_pbmc_ctrl_stim_unlabeled', 'pbmc5k_cite_10xv3_subset', 'sctransform_pbmc_unlabeled',
    'seurat_pbmc_small_unlabeled', 'soupx_pbmc4k_10x', 'garnett_zheng_sorted_pbmc',
    'cellbench_celseq2_3cl', 'cellbench_celseq2_5cl', 'pollen_counts_4class', 'segerstolpe_pancreas_tiny',
    'clustifyr_mouse_lung_aec2_10x', 'scp_mouse_brainstem_neurons_tiny', 'ting_mouse_ctc',
]


# The corpus of the peer `scpt` (pretrain_ref.py holds every cell densely and runs ~10 min per
# epoch on the whole corpus here): the unlabelled sets only, so no evaluated dataset is ever in it.
# Ours is also pre-trained on it once (`head-u`), to compare like with like.
UNLABELLED = ['kang_pbmc_ctrl_stim_unlabeled', 'pbmc5k_cite_10xv3_subset', 'sctransform_pbmc_unlabeled',
              'seurat_pbmc_small_unlabeled']


# Leave-group-out: a dataset of the corpus is evaluated with a model pre-trained without its whole
# group (so without itself, and without its closest relatives: the same cell lines, the same blood
# cells). Stricter than leaving one dataset out, and 4 pre-trainings instead of 9 (2 cores shared).
# Each group keeps human and mouse data in the remaining corpus.
HOLDOUT_GROUPS = [
    ['cellbench_celseq2_3cl', 'cellbench_celseq2_5cl'],
    ['garnett_zheng_sorted_pbmc', 'soupx_pbmc4k_10x'],
    ['clustifyr_mouse_lung_aec2_10x', 'pollen_counts_4class'],
    ['scp_mouse_brainstem_neurons_tiny', 'segerstolpe_pancreas_tiny', 'ting_mouse_ctc'],
]


def holdout_group(dataset):
    """The corpus datasets a model evaluated on `dataset` must not have seen ([] outside the corpus)."""
    for g in HOLDOUT_GROUPS:
        if dataset in g:
            return list(g)
    return [dataset] if dataset in CORPUS else []


def corpus_without(names):
    return [d for d in CORPUS if d not in names]


def labelled_sets():
    return sorted(d for d in os.listdir(DATA) if os.path.exists(os.path.join(DATA, d, 'labels.tsv')))


# Cross-dataset transfer: reference -> query with labels mapped to a shared vocabulary (types
# absent from the reference are expected as Unassigned, as common.score(known=...) scores them).
# The model for a pair is pre-trained without both datasets.
PBMC_MAP = {
    'soupx_pbmc4k_10x': {'T_CD4': 'CD4 T', 'T_CD8': 'CD8 T', 'B': 'B', 'NK': 'NK', 'MNP': 'Myeloid'},
    'garnett_zheng_sorted_pbmc': {'B cells': 'B', 'CD4 T cells': 'CD4 T', 'CD8 T cells': 'CD8 T'},
    'pbmc3k_seurat_labels': {'Naive CD4 T': 'CD4 T', 'Memory CD4 T': 'CD4 T', 'CD8 T': 'CD8 T', 'B': 'B',
                             'NK': 'NK', 'CD14+ Mono': 'Myeloid', 'FCGR3A+ Mono': 'Myeloid', 'DC': 'Myeloid',
                             'Platelet': 'Platelet'},
    'pbmc68k_reduced': {'CD19+ B': 'B', 'CD4+/CD25 T Reg': 'CD4 T', 'CD4+/CD45RO+ Memory': 'CD4 T',
                        'CD4+/CD45RA+/CD25- Naive T': 'CD4 T', 'CD8+ Cytotoxic T': 'CD8 T',
                        'CD8+/CD45RA+ Naive Cytotoxic': 'CD8 T', 'CD56+ NK': 'NK', 'CD14+ Monocyte': 'Myeloid',
                        'Dendritic': 'Myeloid', 'CD34+': 'CD34+'},
}
CELLBENCH_MAP = {'cellbench_celseq2_3cl': None, 'cellbench_celseq2_5cl': None}  # cell-line names agree
# Human (CHETAH head and neck, Smart-seq2) -> mouse (Smart-seq2 / plate): no clean pair shares
# fine types, so coarse lineages: endothelial and immune are shared; the mouse epithelial,
# hepatic and erythroid cells have no human counterpart in the reference and should be Unassigned.
CHETAH_COARSE = {'Fibroblast': 'fibroblast', 'Endothelial': 'endothelial', 'B cell': 'immune',
                 'Macrophage': 'immune', 'Dendritic': 'immune', 'Mast': 'immune', 'CD4 T cell': 'immune',
                 'reg. T cell': 'immune', 'CD8 T cell': 'immune'}
MOUSE_COARSE = {
    'tabula_muris_kidney_smartseq2_subset': {'endothelial cell': 'endothelial', 'leukocyte': 'immune',
                                             'kidney collecting duct epithelial cell': 'kidney epithelial'},
    'screclassify_mouse_fetal_liver': {'Endothelial Cell': 'endothelial', 'Macrophage': 'immune',
                                       'Mesenchymal Cell': 'mesenchymal', 'Hepatoblast': 'hepatoblast',
                                       'Erythrocyte': 'erythrocyte', 'Megakaryocyte': 'megakaryocyte'},
}
# (name, kind, reference, reference label map, query, query label map)
TRANSFERS = [
    ('CEL-seq2 5 lines -> 3 lines', 'cross-batch', 'cellbench_celseq2_5cl', None, 'cellbench_celseq2_3cl', None),
    ('CEL-seq2 3 lines -> 5 lines', 'cross-batch', 'cellbench_celseq2_3cl', None, 'cellbench_celseq2_5cl', None),
    ('PBMC 10x v2 (pbmc4k) -> 10x v1 (pbmc3k)', 'cross-technology', 'soupx_pbmc4k_10x',
     PBMC_MAP['soupx_pbmc4k_10x'], 'pbmc3k_seurat_labels', PBMC_MAP['pbmc3k_seurat_labels']),
    ('PBMC 10x v1 (pbmc3k) -> 10x v2 (pbmc4k)', 'cross-technology', 'pbmc3k_seurat_labels',
     PBMC_MAP['pbmc3k_seurat_labels'], 'soupx_pbmc4k_10x', PBMC_MAP['soupx_pbmc4k_10x']),
    ('PBMC 10x v2 (pbmc4k) -> 10x v1 sorted (Zheng)', 'cross-technology', 'soupx_pbmc4k_10x',
     PBMC_MAP['soupx_pbmc4k_10x'], 'garnett_zheng_sorted_pbmc', PBMC_MAP['garnett_zheng_sorted_pbmc']),
    ('PBMC 10x v2 (pbmc4k) -> 10x v1 68k subset', 'cross-technology', 'soupx_pbmc4k_10x',
     PBMC_MAP['soupx_pbmc4k_10x'], 'pbmc68k_reduced', PBMC_MAP['pbmc68k_reduced']),
    ('human head & neck -> mouse kidney', 'human -> mouse', 'chetah_headneck_ref', CHETAH_COARSE,
     'tabula_muris_kidney_smartseq2_subset', MOUSE_COARSE['tabula_muris_kidney_smartseq2_subset']),
    ('human head & neck -> mouse fetal liver', 'human -> mouse', 'chetah_headneck_ref', CHETAH_COARSE,
     'screclassify_mouse_fetal_liver', MOUSE_COARSE['screclassify_mouse_fetal_liver']),
]
# The transform comparison (issue 2): which input transform transfers better across technologies and batches.
TRANSFORM_PAIRS = [t for t in TRANSFERS if t[1] in ('cross-technology', 'cross-batch')]
