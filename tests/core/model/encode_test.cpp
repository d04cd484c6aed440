#include "core/model/encode.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

#include "core/model/quantize.hpp"
#include "tests/core/model/model_test_util.hpp"
#include "tests/test_data.hpp"

namespace scpt {
namespace {

// The definition, in double precision: z_j = b_j + sum over stored values of x * w(row, j).
// Also returns sum |x * w| per output, the scale of the float rounding error.
void reference(const CellMatrix& x, const std::vector<int32_t>& map, const EncoderWeights& w, int64_t cell,
               std::vector<double>& z, std::vector<double>& scale) {
    z.assign(size_t(w.hidden), 0.0);
    scale.assign(size_t(w.hidden), 0.0);
    for (int64_t j = 0; j < w.hidden; ++j) z[size_t(j)] = w.bias[size_t(j)];
    for (int64_t k = x.indptr[size_t(cell)]; k < x.indptr[size_t(cell) + 1]; ++k) {
        const int32_t row = map[size_t(x.indices[size_t(k)])];
        if (row < 0) continue;
        for (int64_t j = 0; j < w.hidden; ++j) {
            const double t = double(x.values[size_t(k)]) * double(weight_at(w, row, j));
            z[size_t(j)] += t;
            scale[size_t(j)] += std::fabs(t);
        }
    }
}

// Compares encode() with the reference for every cell and output, pre-activation and sigmoid.
void expect_matches_reference(const CellMatrix& x, const std::vector<int32_t>& map, const EncoderWeights& w) {
    EncodeOptions pre;
    pre.activation = Activation::None;
    const RowMatrix z = encode(x, map, w, pre);
    const RowMatrix h = encode(x, map, w);
    std::vector<double> zr, scale;
    for (int64_t c = 0; c < x.n_cells; ++c) {
        reference(x, map, w, c, zr, scale);
        for (int64_t j = 0; j < w.hidden; ++j) {
            // Float accumulation of n terms: error well under 1e-5 of the sum of their magnitudes.
            const double tol = 1e-5 * scale[size_t(j)] + 1e-6 * (1 + std::fabs(zr[size_t(j)]));
            ASSERT_NEAR(z(c, j), zr[size_t(j)], tol) << dtype_name(w.dtype) << " cell " << c << " unit " << j;
            ASSERT_NEAR(h(c, j), 1.0 / (1.0 + std::exp(-zr[size_t(j)])), tol / 4 + 1e-6);
        }
    }
}

// Cells with every awkward case: empty, one value, tails of 1..3 after groups of 4, unmapped
// genes, explicit zeros, two columns mapped to the same encoder row.
CellMatrix awkward_cells(int64_t n_genes, uint64_t seed) {
    Rng rng(seed);
    CsrBuilder b(12, n_genes);
    for (int64_t c = 1; c < 12; ++c) {
        const int64_t nnz = c < 8 ? c : int64_t(rng.below(uint64_t(n_genes)));
        for (int64_t k = 0; k < nnz; ++k)
            b.add(c, int64_t(rng.below(uint64_t(n_genes))), k % 9 == 5 ? 0.f : float(std::log1p(1 + rng.below(50))));
    }
    CellMatrix m;
    b.finish(m);
    return m;
}

class EncodeDtype : public ::testing::TestWithParam<DType> {};

TEST_P(EncodeDtype, AgreesWithDenseReferenceOnAwkwardCells) {
    for (int64_t hidden : {1, 15, 32, 70, 200}) {
        const int64_t genes = 90;
        EncoderWeights w = quantize(test::random_encoder(genes, hidden, 3, 0.3f), GetParam());
        CellMatrix x = awkward_cells(120, 5);
        std::vector<int32_t> map = test::random_gene_map(120, genes, 9);
        map[7] = map[8] = 4;  // two columns, one row
        expect_matches_reference(x, map, w);
    }
}

TEST_P(EncodeDtype, AgreesWithDenseReferenceOnRealCells) {
    SCPT_REQUIRE_DATA("pbmc5k_cite_10xv3_subset/matrix.mtx.gz");
    static const CellMatrix cells = test::read_log1p_mtx(test::data_path("pbmc5k_cite_10xv3_subset/matrix.mtx.gz"));
    CellMatrix x = cells;
    // Keep the test fast: the first 40 cells (about 80,000 stored values).
    x.n_cells = 40;
    x.indptr.resize(41);
    x.indices.resize(size_t(x.indptr.back()));
    x.values.resize(size_t(x.indptr.back()));
    const int64_t rows = 12000;
    EncoderWeights w = quantize(test::random_encoder(rows, 200, 17), GetParam());
    expect_matches_reference(x, test::random_gene_map(x.n_genes, rows, 2), w);
}

TEST_P(EncodeDtype, IdenticalForAnyThreadCountAndChunking) {
    EncoderWeights w = quantize(test::random_encoder(300, 70, 4), GetParam());
    CellMatrix x = awkward_cells(400, 8);
    const auto map = test::random_gene_map(400, 300, 1);
    RunControl one;
    const RowMatrix h1 = encode(x, map, w, {}, one);
    for (int threads : {2, 3}) {
        RunControl rc;
        rc.threads = threads;
        EncodeOptions o;
        o.chunk_cells = 1 + threads;
        const RowMatrix ht = encode(x, map, w, o, rc);
        EXPECT_EQ(0, std::memcmp(h1.data(), ht.data(), size_t(h1.size()) * 4)) << threads << " threads";
    }
    // The streaming entry point gives the same bits for any range.
    std::vector<float> part(size_t(5 * w.hidden));
    encode_rows(x, 4, 9, map, w, part.data());
    EXPECT_EQ(0, std::memcmp(h1.row(4).data(), part.data(), part.size() * 4));
}

INSTANTIATE_TEST_SUITE_P(AllTypes, EncodeDtype, ::testing::Values(DType::F32, DType::F16, DType::Q8, DType::Q4),
                         [](const auto& info) { return std::string(dtype_name(info.param)); });

TEST(Encode, ChecksItsInputs) {
    EncoderWeights w = test::random_encoder(10, 8, 1);
    CellMatrix x = awkward_cells(20, 1);
    EXPECT_THROW(encode(x, std::vector<int32_t>(19, -1), w), InputError);
    std::vector<int32_t> map(20, -1);
    map[3] = 10;  // past the vocabulary
    EXPECT_THROW(encode(x, map, w), InputError);
    map[3] = 9;
    w.bias.pop_back();
    EXPECT_THROW(encode(x, map, w), InputError);
}

TEST(Encode, StopsWhenCancelledAndReportsProgress) {
    EncoderWeights w = test::random_encoder(10, 8, 1);
    CellMatrix x = awkward_cells(20, 1);
    std::vector<int32_t> map(20, 0);
    std::atomic<bool> cancel{true};
    RunControl rc;
    rc.cancel = &cancel;
    EXPECT_THROW(encode(x, map, w, {}, rc), Cancelled);
    cancel = false;
    double last = 0;
    int reports = 0;
    rc.progress = [&](const ProgressEvent& e) {
        EXPECT_EQ(e.stage, "encode");
        EXPECT_GE(e.fraction, last);
        last = e.fraction;
        ++reports;
    };
    EncodeOptions o;
    o.chunk_cells = 5;
    encode(x, map, w, o, rc);
    EXPECT_EQ(reports, 3);  // 12 cells in steps of 5
    EXPECT_DOUBLE_EQ(last, 1.0);
}

TEST(Encode, EmptyCellGivesSigmoidOfBias) {
    EncoderWeights w = test::random_encoder(10, 8, 1);
    CellMatrix x = awkward_cells(20, 1);  // cell 0 is empty
    const RowMatrix h = encode(x, std::vector<int32_t>(20, 0), w);
    for (int64_t j = 0; j < 8; ++j) EXPECT_FLOAT_EQ(h(0, j), 1.f / (1.f + std::exp(-w.bias[size_t(j)])));
}

}  // namespace
}  // namespace scpt
