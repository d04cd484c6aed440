#include "core/io/tenx_stream.hpp"

#include <algorithm>

#include "core/io/gzip.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

namespace {
// Checks the size line against the two lists, then forwards to the cell stream.
class CheckedStream : public MtxSink {
public:
    CheckedStream(std::string what, std::string feats_name, std::string bcs_name, int64_t genes, int64_t cells,
                  MtxCellStream& inner)
        : what_(std::move(what)), feats_(std::move(feats_name)), bcs_(std::move(bcs_name)), genes_(genes), cells_(cells),
          inner_(inner) {}
    void header(const MtxHeader& h) override {
        if (h.rows == cells_ && h.cols == genes_ && h.rows != h.cols)
            throw input_error(what_, "stores cells in rows (a transposed 10x layout), which cannot be streamed; "
                                     "read the folder whole instead");
        std::string msg;
        if (h.rows != genes_)
            msg = feats_ + " lists " + std::to_string(genes_) + " genes but " + what_ + " has " + std::to_string(h.rows) +
                  " rows (genes)";
        if (h.cols != cells_)
            msg += (msg.empty() ? "" : "; ") + bcs_ + " lists " + std::to_string(cells_) + " cells but " + what_ + " has " +
                   std::to_string(h.cols) + " columns (cells)";
        if (!msg.empty()) throw InputError(msg + ": these files do not belong together");
        inner_.header(h);
    }
    void entries(const int32_t* r, const int32_t* c, const float* v, size_t n) override { inner_.entries(r, c, v, n); }

private:
    std::string what_, feats_, bcs_;
    int64_t genes_, cells_;
    MtxCellStream& inner_;
};
}  // namespace

struct TenxCellStream::Impl {
    std::vector<int32_t> map;
    std::unique_ptr<MtxCellStream> cells;
    std::unique_ptr<CheckedStream> checked;
    std::unique_ptr<MtxParser> parser;
    std::unique_ptr<GzipInflater> gzip;
    bool started = false;
    std::string head;  // the first bytes, until there are two to tell gzip by
    std::string what;
};

TenxCellStream::TenxCellStream(const TenxFolderInput& in, const ReadOptions& o, MtxCellStream::CellFn on_cell)
    : impl_(std::make_unique<Impl>()) {
    std::vector<FeatureRow> feats = parse_features(in.features, in.features_name, o.limits);
    barcodes_ = parse_barcodes(in.barcodes, in.barcodes_name, o.limits);
    Limits::check(in.features_name, "genes", int64_t(feats.size()), o.limits.max_genes);
    Limits::check(in.barcodes_name, "cells", int64_t(barcodes_.size()), o.limits.max_cells);
    tenx_feature_gene_map(feats, o.keep_all_features, in.features_name, impl_->map, notes_);
    for (size_t i = 0; i < feats.size(); ++i) {
        if (!impl_->map.empty() && impl_->map[i] < 0) continue;
        gene_ids_.push_back(std::move(feats[i].id));
        gene_symbols_.push_back(std::move(feats[i].name));
    }
    impl_->what = in.matrix_name;
    impl_->cells = std::make_unique<MtxCellStream>(in.matrix_name, std::move(on_cell), true,
                                                   impl_->map.empty() ? nullptr : &impl_->map);
    impl_->checked = std::make_unique<CheckedStream>(in.matrix_name, in.features_name, in.barcodes_name,
                                                     int64_t(feats.size()), int64_t(barcodes_.size()), *impl_->cells);
    MtxLimits ml;
    ml.max_rows = o.limits.max_genes;
    ml.max_cols = o.limits.max_cells;
    ml.max_entries = INT64_MAX;  // streamed: entries are never held together
    impl_->parser = std::make_unique<MtxParser>(in.matrix_name, *impl_->checked, ml);
}

TenxCellStream::~TenxCellStream() = default;

void TenxCellStream::feed(std::string_view bytes) {
    if (bytes.empty()) return;
    if (!impl_->started) {
        // gzip is told by its first two bytes, which may arrive in two pieces.
        const size_t take = std::min(bytes.size(), size_t(2) - impl_->head.size());
        impl_->head.append(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (impl_->head.size() < 2) return;
        impl_->started = true;
        if (is_gzip(impl_->head)) impl_->gzip = std::make_unique<GzipInflater>(impl_->what, INT64_MAX);
        std::string head;
        head.swap(impl_->head);
        pass(head);
    }
    pass(bytes);
}

void TenxCellStream::pass(std::string_view bytes) {
    if (bytes.empty()) return;
    if (impl_->gzip) impl_->gzip->feed(bytes, [&](std::string_view s) { impl_->parser->feed(s); });
    else impl_->parser->feed(bytes);
}

void TenxCellStream::finish() {
    if (!impl_->started && !impl_->head.empty()) {  // a one-byte matrix
        impl_->started = true;
        std::string head;
        head.swap(impl_->head);
        pass(head);
    }
    if (impl_->gzip) impl_->gzip->finish();
    impl_->parser->finish();
    impl_->cells->finish();
    // The notes read_tenx_folder gives, so that the page (which streams) says what the CLI says.
    if (int64_t dups = impl_->cells->duplicates(); dups > 0)
        notes_.push_back(impl_->what + ": " + std::to_string(dups) + " duplicate entries for the same gene and cell were summed");
    if (int64_t neg = impl_->parser->stats().negatives; neg > 0)
        notes_.push_back(impl_->what + ": " + std::to_string(neg) +
                         " negative values: the matrix looks scaled (z-scores), not expression levels");
}

}  // namespace scpt::io
