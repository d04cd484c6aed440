#include "wasm/tenx_stream_api.hpp"

#include "core/data/input_checks.hpp"
#include "core/io/format.hpp"
#include "core/io/tenx_stream.hpp"
#include "core/util/error.hpp"
#include "core/util/limits.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_object.hpp"
#include "wasm/matrix_api.hpp"

namespace scpt::wasm {

using emscripten::val;

TenxStreamReader::TenxStreamReader(const ByteBuffer& features, const ByteBuffer& barcodes, val names)
    : matrix_name_(text_or(names, "matrix", "matrix.mtx")), max_nonzeros_(Limits{}.max_nonzeros) {
    io::TenxFolderInput in;
    in.features = features.bytes();
    in.barcodes = barcodes.bytes();
    in.matrix_name = matrix_name_;
    in.features_name = text_or(names, "features", "features.tsv");
    in.barcodes_name = text_or(names, "barcodes", "barcodes.tsv");
    m_.indptr.push_back(0);
    stream_ = std::make_unique<io::TenxCellStream>(
        in, io::ReadOptions{}, [this](int64_t cell, const int32_t* genes, const float* values, size_t n) {
            if (cell != int64_t(m_.indptr.size()) - 1) throw InputError(matrix_name_ + ": cells arrived out of order");
            if (int64_t(m_.values.size() + n) > max_nonzeros_)
                throw input_error(matrix_name_, "holds more than " + std::to_string(max_nonzeros_) +
                                                    " stored values, above what a browser tab can hold");
            m_.indices.insert(m_.indices.end(), genes, genes + n);
            m_.values.insert(m_.values.end(), values, values + n);
            m_.indptr.push_back(int64_t(m_.values.size()));
        });
}

TenxStreamReader::~TenxStreamReader() = default;

void TenxStreamReader::feed(val chunk) {
    const size_t n = js_length(chunk);
    scratch_.resize(n);  // reused: no allocation per chunk once it has its size
    if (n) val(emscripten::typed_memory_view(n, reinterpret_cast<uint8_t*>(&scratch_[0]))).call<void>("set", chunk);
    stream_->feed(scratch_);
}

val TenxStreamReader::finish(Session& s, const std::string& role) {
    stream_->finish();
    std::string().swap(scratch_);
    m_.n_cells = int64_t(stream_->barcodes().size());
    m_.n_genes = int64_t(stream_->gene_ids().size());
    m_.barcodes = stream_->barcodes();
    m_.gene_ids = stream_->gene_ids();
    m_.gene_symbols = stream_->gene_symbols();
    m_.notes = stream_->notes();
    check_input_matrix(m_, matrix_name_);  // as every reader of the page and the CLI
    s.put_matrix(role, std::move(m_));
    m_ = CellMatrix{};
    val info = matrix_info(s, role);
    info.set("format", std::string(io::format_name(io::InputFormat::TenxFolder)));
    return info;
}

}  // namespace scpt::wasm
