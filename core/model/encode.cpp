#include "core/model/encode.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "core/model/encode_kernels.hpp"
#include "core/util/error.hpp"
#include "core/util/parallel.hpp"

namespace scpt {
namespace {

template <class T, class Entry>
void accumulate(float* acc, const T* W, int64_t H, const Entry* e, size_t n) {
    size_t k = 0;
    for (; k + 4 <= n; k += 4)
        kernel::axpy4(acc, H, W + size_t(e[k].row) * size_t(H), W + size_t(e[k + 1].row) * size_t(H),
                      W + size_t(e[k + 2].row) * size_t(H), W + size_t(e[k + 3].row) * size_t(H), e[k].x,
                      e[k + 1].x, e[k + 2].x, e[k + 3].x);
    for (; k < n; ++k) kernel::axpy1(acc, H, W + size_t(e[k].row) * size_t(H), e[k].x);
}

// acc has q4_blocks(H) * 32 floats: the pad weights (stored as 0) land past H and are ignored.
template <class Entry>
void accumulate_q4(float* acc, const EncoderWeights& w, const Entry* e, size_t n) {
    const int64_t B = q4_blocks(w.hidden);
    const size_t row_bytes = size_t(q4_row_bytes(w.hidden));
    const uint8_t* Q = w.q4.data();
    const float* S = w.q4_scale.data();
    size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        const uint8_t* r[4];
        const float* s[4];
        for (int i = 0; i < 4; ++i) {
            r[i] = Q + size_t(e[k + i].row) * row_bytes;
            s[i] = S + size_t(e[k + i].row) * size_t(B);
        }
        for (int64_t b = 0; b < B; ++b) {
            const uint8_t* p[4] = {r[0] + 16 * b, r[1] + 16 * b, r[2] + 16 * b, r[3] + 16 * b};
            const float xs[4] = {e[k].x * s[0][b], e[k + 1].x * s[1][b], e[k + 2].x * s[2][b], e[k + 3].x * s[3][b]};
            kernel::q4_block<4>(acc + 32 * b, p, xs);
        }
    }
    for (; k < n; ++k) {
        const uint8_t* r0 = Q + size_t(e[k].row) * row_bytes;
        const float* s0 = S + size_t(e[k].row) * size_t(B);
        for (int64_t b = 0; b < B; ++b) {
            const uint8_t* p[1] = {r0 + 16 * b};
            const float xs[1] = {e[k].x * s0[b]};
            kernel::q4_block<1>(acc + 32 * b, p, xs);
        }
    }
}

void check_weight_arrays(const EncoderWeights& w) {
    const int64_t G = w.genes, H = w.hidden;
    bool ok = G >= 1 && H >= 1 && int64_t(w.bias.size()) == H;
    switch (w.dtype) {
        case DType::F32: ok = ok && int64_t(w.f32.size()) == G * H; break;
        case DType::F16: ok = ok && int64_t(w.f16.size()) == G * H; break;
        case DType::Q8: ok = ok && int64_t(w.q8.size()) == G * H && int64_t(w.q8_scale.size()) == G; break;
        case DType::Q4:
            ok = ok && int64_t(w.q4.size()) == G * q4_row_bytes(H) && int64_t(w.q4_scale.size()) == G * q4_blocks(H);
            break;
        default: ok = false;
    }
    if (!ok) throw InputError("the encoder weights are inconsistent with their declared size and type");
}

}  // namespace

void check_encoder_inputs(int64_t n_genes, const std::vector<int32_t>& gene_to_row, const EncoderWeights& w) {
    check_weight_arrays(w);
    if (int64_t(gene_to_row.size()) != n_genes)
        throw InputError("the gene map has " + std::to_string(gene_to_row.size()) + " entries for " +
                         std::to_string(n_genes) + " genes");
    for (int32_t r : gene_to_row)
        if (r < -1 || r >= w.genes) throw InputError("the gene map points outside the model's vocabulary");
}

CellEncoder::CellEncoder(const EncoderWeights& w, const std::vector<int32_t>& gene_to_row)
    : w_(w), gene_to_row_(gene_to_row), acc_(size_t(q4_blocks(w.hidden) * kQ4Block)) {}

void CellEncoder::encode(const int32_t* cols, const float* vals, int64_t nnz, float* out, Activation activation) {
    entries_.clear();
    for (int64_t k = 0; k < nnz; ++k) {
        const int32_t row = gene_to_row_[size_t(cols[k])];
        if (row >= 0 && vals[k] != 0.f) entries_.push_back({row, vals[k]});
    }
    if (w_.dtype == DType::Q8)  // the per-gene scale goes into x: one multiply per stored value
        for (Entry& e : entries_) e.x *= w_.q8_scale[size_t(e.row)];
    const int64_t H = w_.hidden;
    float* acc = acc_.data();
    std::fill(acc_.begin(), acc_.end(), 0.f);
    const Entry* e = entries_.data();
    const size_t n = entries_.size();
    switch (w_.dtype) {
        case DType::F32: accumulate(acc, w_.f32.data(), H, e, n); break;
        case DType::F16: accumulate(acc, w_.f16.data(), H, e, n); break;
        case DType::Q8: accumulate(acc, w_.q8.data(), H, e, n); break;
        case DType::Q4: accumulate_q4(acc, w_, e, n); break;
    }
    const float* b = w_.bias.data();
    for (int64_t j = 0; j < H; ++j) out[j] = acc[j] + b[j];
    if (activation == Activation::Sigmoid)
        for (int64_t j = 0; j < H; ++j) out[j] = 1.f / (1.f + std::exp(-out[j]));
}

void encode_rows(const CellMatrix& x, int64_t begin, int64_t end, const std::vector<int32_t>& gene_to_row,
                 const EncoderWeights& w, float* out, Activation activation) {
    check_encoder_inputs(x.n_genes, gene_to_row, w);
    if (begin < 0 || end > x.n_cells || begin > end) throw InputError("encode_rows: cell range out of bounds");
    CellEncoder enc(w, gene_to_row);
    for (int64_t c = begin; c < end; ++c) {
        const int64_t b = x.indptr[size_t(c)], e = x.indptr[size_t(c) + 1];
        enc.encode(x.indices.data() + b, x.values.data() + b, e - b, out + (c - begin) * w.hidden, activation);
    }
}

RowMatrix encode(const CellMatrix& x, const std::vector<int32_t>& gene_to_row, const EncoderWeights& w,
                 const EncodeOptions& options, const RunControl& control) {
    check_encoder_inputs(x.n_genes, gene_to_row, w);
    RowMatrix h(x.n_cells, w.hidden);
    const int64_t step = std::max<int64_t>(1, options.chunk_cells);
    std::atomic<int64_t> done{0};
    parallel_chunks(x.n_cells, control.threads, [&](int64_t begin, int64_t end, int chunk) {
        CellEncoder enc(w, gene_to_row);
        for (int64_t s = begin; s < end; s += step) {
            control.check_cancel();
            const int64_t t = std::min(end, s + step);
            for (int64_t c = s; c < t; ++c) {
                const int64_t b = x.indptr[size_t(c)], e = x.indptr[size_t(c) + 1];
                enc.encode(x.indices.data() + b, x.values.data() + b, e - b, h.row(c).data(), options.activation);
            }
            const int64_t total = done.fetch_add(t - s) + (t - s);
            if (chunk == 0) control.report({"encode", double(total) / double(x.n_cells), "encoding cells", 0});
        }
    });
    control.check_cancel();
    return h;
}

}  // namespace scpt
