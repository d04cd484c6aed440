// Helpers for model tests and benchmarks (no gtest here): synthetic models with realistic weights,
// and real cells from a shared 10x folder by a minimal Matrix Market parse (the real readers are
// core/io's; these tests must not depend on them).
#pragma once
#if defined(SCPT_HAVE_ZLIB)
#include <zlib.h>
#endif

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/data/cell_matrix.hpp"
#include "core/model/model.hpp"
#include "core/util/rng.hpp"

namespace scpt::test {

// Gene-major weights shaped like a trained encoder: most genes small (per-gene spread varies, log-
// normal), a few percent "marker" genes with weights several times larger. The spread is chosen so
// that pre-activations of real log1p cells spread over about [-4, 4], where sigmoid is not flat.
inline EncoderWeights random_encoder(int64_t genes, int64_t hidden, uint64_t seed, float base_sd = 0.02f) {
    Rng rng(seed);
    EncoderWeights w;
    w.genes = genes;
    w.hidden = hidden;
    w.dtype = DType::F32;
    w.f32.resize(size_t(genes * hidden));
    for (int64_t g = 0; g < genes; ++g) {
        double sd = base_sd * std::exp(0.5 * rng.normal());
        if (rng.uniform() < 0.03) sd *= 4;
        for (int64_t j = 0; j < hidden; ++j) w.f32[size_t(g * hidden + j)] = float(sd * rng.normal());
    }
    for (int64_t j = 0; j < hidden; ++j) w.bias.push_back(float(0.5 * rng.normal()));
    return w;
}

inline Model random_model(int64_t genes, int64_t hidden, uint64_t seed, int classifiers = 1) {
    Model m;
    m.encoder = random_encoder(genes, hidden, seed);
    Rng rng(seed ^ 0xabcdef);
    for (int64_t g = 0; g < genes; ++g) {
        ModelGene mg;
        mg.human_symbol = "GENE" + std::to_string(g);
        mg.mouse_symbol = g % 5 == 0 ? "" : "Gene" + std::to_string(g);
        mg.ensembl_id = g % 7 == 0 ? "" : "ENSG" + std::to_string(100000000 + g);
        m.info.genes.push_back(mg);
    }
    m.info.transform = Transform::Log1p;
    m.info.datasets = {"soupx_pbmc4k_10x", "kang_pbmc_ctrl_stim_unlabeled", "un\xc3\xaf" "code name"};
    m.info.seed = 0x123456789abcdef0ull;
    m.info.created = "2024-05-01T12:00:00Z";
    m.info.tool_version = "0.1.0";
    m.info.notes = "scpt pretrain --epochs 10\nline two";
    for (int k = 0; k < classifiers; ++k) {
        ReferenceClassifier c;
        c.name = "ref_" + std::to_string(k);
        c.description = "human PBMC, 6 types";
        c.classes = {"B", "T_CD4", "T_CD8", "NK", "MNP"};
        c.h1 = 7 + k;
        auto fill = [&](std::vector<float>& v, int64_t n) {
            for (int64_t i = 0; i < n; ++i) v.push_back(float(0.1 * rng.normal()));
        };
        fill(c.fc1_w, c.h1 * hidden);
        fill(c.fc1_b, c.h1);
        fill(c.fc2_w, int64_t(c.classes.size()) * c.h1);
        fill(c.fc2_b, int64_t(c.classes.size()));
        c.calibration = {0.25f, -1.5f, 3.0f};
        m.classifiers.push_back(c);
    }
    return m;
}

#if defined(SCPT_HAVE_ZLIB)
// A minimal Matrix Market (.mtx.gz, genes x cells) parse into cells x genes with log1p values.
inline CellMatrix read_log1p_mtx(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot open " + path);
    char line[256];
    long genes = 0, cells = 0, nnz = 0;
    while (gzgets(f, line, sizeof line))
        if (line[0] != '%' && std::sscanf(line, "%ld %ld %ld", &genes, &cells, &nnz) == 3) break;
    CsrBuilder b(cells, genes);
    b.reserve(nnz);
    long g, c;
    double v;
    while (gzgets(f, line, sizeof line))
        if (std::sscanf(line, "%ld %ld %lf", &g, &c, &v) == 3) b.add(c - 1, g - 1, float(std::log1p(v)));
    gzclose(f);
    CellMatrix m;
    b.finish(m);
    for (long i = 0; i < genes; ++i) {
        m.gene_ids.push_back("g" + std::to_string(i));
        m.gene_symbols.push_back("g" + std::to_string(i));
    }
    for (long i = 0; i < cells; ++i) m.barcodes.push_back("c" + std::to_string(i));
    return m;
}
#endif

// Maps a random `rows` of the matrix's columns to encoder rows 0..rows-1, the others to -1.
inline std::vector<int32_t> random_gene_map(int64_t n_genes, int64_t rows, uint64_t seed) {
    std::vector<int32_t> perm(static_cast<size_t>(n_genes));
    for (int64_t i = 0; i < n_genes; ++i) perm[size_t(i)] = int32_t(i);
    Rng rng(seed);
    rng.shuffle(perm);
    std::vector<int32_t> map(size_t(n_genes), -1);
    for (int64_t r = 0; r < rows && r < n_genes; ++r) map[size_t(perm[size_t(r)])] = int32_t(r);
    return map;
}

}  // namespace scpt::test
