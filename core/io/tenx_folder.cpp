#include "core/io/tenx_folder.hpp"

#include <algorithm>
#include <map>

#include "core/io/gzip.hpp"
#include "core/io/h5_matrix.hpp"
#include "core/io/line_stream.hpp"
#include "core/io/mtx.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"

namespace scpt::io {

std::vector<FeatureRow> parse_features(std::string_view bytes, const std::string& what, const Limits& limits) {
    std::vector<FeatureRow> out;
    for_each_text_line(bytes, what, limits, [&](std::string_view line, int64_t no) {
        if (trim(line).empty())
            throw input_error(what, "line " + std::to_string(no) + " is empty (expected a gene id and name)");
        std::string_view f[3];  // only the first three columns matter (id, name, type)
        size_t n = 0, pos = 0;
        for (; n < 3; ++n) {
            size_t tab = line.find('\t', pos);
            f[n] = line.substr(pos, tab == std::string_view::npos ? std::string_view::npos : tab - pos);
            if (tab == std::string_view::npos) { ++n; break; }
            pos = tab + 1;
        }
        FeatureRow r;
        r.id = std::string(trim(f[0]));
        r.name = n >= 2 ? std::string(trim(f[1])) : r.id;
        if (r.name.empty()) r.name = r.id;
        if (n >= 3) r.type = std::string(trim(f[2]));
        out.push_back(std::move(r));
        Limits::check_count(what, "genes", int64_t(out.size()), limits.max_genes);
    });
    if (out.empty()) throw input_error(what, "is empty (expected one gene per line)");
    return out;
}

int64_t tenx_feature_gene_map(const std::vector<FeatureRow>& feats, bool keep_all, const std::string& what,
                              std::vector<int32_t>& map, std::vector<std::string>& notes) {
    std::vector<std::string> types, names;
    bool typed = false;
    for (const auto& f : feats) {
        types.push_back(f.type.empty() ? "Gene Expression" : f.type);
        names.push_back(f.name);
        typed |= !f.type.empty();
    }
    if (!typed) {
        map.clear();
        return int64_t(feats.size());
    }
    int64_t gex = std::count(types.begin(), types.end(), "Gene Expression");
    if (gex == 0) notes.push_back(what + ": no feature is of type 'Gene Expression'; all features kept");
    return tenx_feature_map(types, {}, names, "", keep_all, what, map, notes);
}

std::vector<std::string> parse_barcodes(std::string_view bytes, const std::string& what, const Limits& limits) {
    std::vector<std::string> out;
    for_each_text_line(bytes, what, limits, [&](std::string_view line, int64_t no) {
        std::string_view t = trim(line.substr(0, line.find('\t')));
        if (t.empty()) throw input_error(what, "line " + std::to_string(no) + " is empty (expected a cell barcode)");
        out.emplace_back(t);
        Limits::check_count(what, "cells", int64_t(out.size()), limits.max_cells);
    });
    if (out.empty()) throw input_error(what, "is empty (expected one cell barcode per line)");
    return out;
}

namespace {

bool looks_like_header(std::string_view first) {
    std::string l = to_lower(first.substr(0, first.find('\t')));
    return l == "gene_id" || l == "gene_ids" || l == "id" || l == "ensembl_id" || l == "gene" || l == "genes" ||
           l == "barcode" || l == "barcodes" || l == "cell" || l == "cell_id" || l == "x" || l == "\"x\"" ||
           l == "symbol" || l == "feature_id";
}

// Decides orientation once the size line is known, then forwards to MtxToCells.
class TenxSink : public MtxSink {
public:
    TenxSink(const TenxFolderInput& in, std::vector<FeatureRow>& feats, std::vector<std::string>& bcs,
             const ReadOptions& o, std::vector<std::string>& notes)
        : in_(in), feats_(feats), bcs_(bcs), o_(o), notes_(notes) {}

    void header(const MtxHeader& h) override {
        int64_t F = int64_t(feats_.size()), B = int64_t(bcs_.size());
        auto drop_header = [&](auto& list, int64_t want, const std::string& name, bool is_feature) {
            if (int64_t(list.size()) == want + 1 &&
                looks_like_header(is_feature ? std::string_view(feats_[0].id) : std::string_view(bcs_[0]))) {
                list.erase(list.begin());
                notes_.push_back(name + ": the first line was taken as a header");
            }
        };
        bool transposed = false;
        if (!(h.rows == F && h.cols == B)) {
            if (h.rows == B && h.cols == F && h.rows != h.cols) {
                transposed = true;
                notes_.push_back(in_.matrix_name + ": rows are cells and columns genes (transposed 10x layout); read accordingly");
            } else {
                drop_header(feats_, h.rows, in_.features_name, true);
                drop_header(bcs_, h.cols, in_.barcodes_name, false);
                F = int64_t(feats_.size());
                B = int64_t(bcs_.size());
                std::string msg;
                if (h.rows != F)
                    msg = in_.features_name + " lists " + std::to_string(F) + " genes but " + in_.matrix_name +
                          " has " + std::to_string(h.rows) + " rows (genes)";
                if (h.cols != B) {
                    if (!msg.empty()) msg += "; ";
                    msg += in_.barcodes_name + " lists " + std::to_string(B) + " cells but " + in_.matrix_name +
                           " has " + std::to_string(h.cols) + " columns (cells)";
                }
                if (!msg.empty()) throw InputError(msg + ": these files do not belong together");
            }
        }
        MtxMatrixOptions mo;
        mo.genes_are_rows = !transposed;
        mo.reserve_limit = mtx_entry_bound(in_.matrix);
        // Set aside features that are not gene expression.
        int64_t kept = tenx_feature_gene_map(feats_, o_.keep_all_features, in_.features_name, map_, notes_);
        if (!map_.empty()) {
            mo.gene_map = &map_;
            mo.kept_genes = kept;
        }
        inner_ = std::make_unique<MtxToCells>(in_.matrix_name, mo);
        inner_->header(h);
    }
    void entries(const int32_t* r, const int32_t* c, const float* v, size_t n) override { inner_->entries(r, c, v, n); }

    std::unique_ptr<MtxToCells> inner_;
    std::vector<int32_t> map_;

private:
    const TenxFolderInput& in_;
    std::vector<FeatureRow>& feats_;
    std::vector<std::string>& bcs_;
    const ReadOptions& o_;
    std::vector<std::string>& notes_;
};

}  // namespace

CellMatrix read_tenx_folder(const TenxFolderInput& in, const ReadOptions& o) {
    std::vector<FeatureRow> feats = parse_features(in.features, in.features_name, o.limits);
    std::vector<std::string> bcs = parse_barcodes(in.barcodes, in.barcodes_name, o.limits);
    std::vector<std::string> notes;
    TenxSink sink(in, feats, bcs, o, notes);
    // Limits: rows may be cells when transposed, so check both axes against the larger limit here;
    // the real per-axis check follows once the orientation is known.
    MtxLimits ml;
    ml.max_rows = std::max(o.limits.max_genes, o.limits.max_cells);
    ml.max_cols = ml.max_rows;
    ml.max_entries = o.limits.max_nonzeros;
    MtxParser parser(in.matrix_name, sink, ml);
    constexpr size_t kStep = size_t(4) << 20;
    auto progress = [&](size_t done) {
        if (!o.control) return;
        o.control->check_cancel();
        o.control->report({"read", double(done) / double(std::max<size_t>(1, in.matrix.size())), in.matrix_name, 0});
    };
    if (is_gzip(in.matrix)) {
        GzipInflater inf(in.matrix_name, INT64_MAX);
        for (size_t pos = 0; pos < in.matrix.size(); pos += kStep) {
            inf.feed(in.matrix.substr(pos, kStep), [&](std::string_view piece) { parser.feed(piece); });
            progress(std::min(in.matrix.size(), pos + kStep));
        }
        inf.finish();
    } else {
        for (size_t pos = 0; pos < in.matrix.size(); pos += kStep) {
            parser.feed(in.matrix.substr(pos, kStep));
            progress(std::min(in.matrix.size(), pos + kStep));
        }
    }
    parser.finish();
    CellMatrix m;
    int64_t dups = sink.inner_->finish(m);
    Limits::check(in.matrix_name, "genes", m.n_genes, o.limits.max_genes);
    Limits::check(in.matrix_name, "cells", m.n_cells, o.limits.max_cells);
    for (size_t i = 0; i < feats.size(); ++i) {
        if (!sink.map_.empty() && sink.map_[i] < 0) continue;
        m.gene_ids.push_back(std::move(feats[i].id));
        m.gene_symbols.push_back(std::move(feats[i].name));
    }
    m.barcodes = std::move(bcs);
    m.notes = std::move(notes);
    if (dups > 0)
        m.notes.push_back(in.matrix_name + ": " + std::to_string(dups) + " duplicate entries for the same gene and cell were summed");
    if (parser.stats().negatives > 0)
        m.notes.push_back(in.matrix_name + ": " + std::to_string(parser.stats().negatives) +
                          " negative values: the matrix looks scaled (z-scores), not expression levels");
    return m;
}

}  // namespace scpt::io
