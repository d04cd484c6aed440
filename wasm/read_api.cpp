#include "wasm/read_api.hpp"

#include <algorithm>

#include "core/annotate/reference_labels.hpp"
#include "core/data/input_checks.hpp"
#include "core/io/delimited.hpp"
#include "core/io/format.hpp"
#include "core/io/gzip.hpp"
#include "core/io/folder_metadata.hpp"
#include "core/io/labels.hpp"
#include "core/io/mtx.hpp"
#include "core/io/table.hpp"
#include "core/io/tenx_folder.hpp"
#include "core/util/text.hpp"
#include "core/util/error.hpp"
#include "wasm/h5_val_source.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_object.hpp"
#include "wasm/matrix_api.hpp"

namespace scpt::wasm {

using emscripten::val;

void ByteBuffer::append(val chunk) {
    const size_t n = js_length(chunk), old = bytes_.size();
    if (n == 0) return;
    bytes_.resize(old + n);  // may grow memory: the view below is made afterwards
    val(emscripten::typed_memory_view(n, reinterpret_cast<uint8_t*>(&bytes_[old]))).call<void>("set", chunk);
}

namespace {

// As the native read_input: the structural checks, then the errors and notes every reader's matrix
// gets (docs/BAD_INPUTS.md). Only a matrix that passed replaces the role's previous one.
val store(Session& s, const std::string& role, CellMatrix m, const std::string& what, const char* format) {
    check_input_matrix(m, what);
    s.put_matrix(role, std::move(m));
    val info = matrix_info(s, role);
    info.set("format", std::string(format));
    return info;
}

}  // namespace

val read_tenx_folder(Session& s, const std::string& role, const ByteBuffer& matrix, const ByteBuffer& features,
                     const ByteBuffer& barcodes, val names, val on_progress) {
    RunControl rc = s.begin(on_progress);
    io::ReadOptions o;
    o.control = &rc;
    io::TenxFolderInput in{matrix.bytes(), features.bytes(), barcodes.bytes(), text_or(names, "matrix", "matrix.mtx"),
                           text_or(names, "features", "features.tsv"), text_or(names, "barcodes", "barcodes.tsv")};
    return store(s, role, io::read_tenx_folder(in, o), in.matrix_name, io::format_name(io::InputFormat::TenxFolder));
}

val read_delimited(Session& s, const std::string& role, const ByteBuffer& bytes, const std::string& name, val on_progress) {
    // As the CLI: bytes that are not text (once the browser has gunzipped them) are no table.
    const std::string_view head = std::string_view(bytes.bytes()).substr(0, 1 << 16);
    if (!head.empty() && (io::is_gzip(head) || io::sniff_format(head, name) == io::InputFormat::Unknown))
        throw input_error(name, io::unreadable_reason(name));
    RunControl rc = s.begin(on_progress);
    io::ReadOptions o;
    o.control = &rc;
    return store(s, role, io::read_delimited(bytes.bytes(), name, o), name, io::format_name(io::InputFormat::Delimited));
}

val read_matrix_market(Session& s, const std::string& role, const ByteBuffer& bytes, const std::string& name,
                       val on_progress) {
    RunControl rc = s.begin(on_progress);
    io::MtxMatrixOptions mo;
    CellMatrix m = io::read_lone_mtx(bytes.bytes(), name, mo, Limits{}, &rc);
    return store(s, role, std::move(m), name, io::format_name(io::InputFormat::MatrixMarket));
}

val read_hdf5(Session& s, const std::string& role, val source, val options, val on_progress) {
    RunControl rc = s.begin(on_progress);
    io::ReadOptions o;
    o.control = &rc;
    o.use_raw = flag_or(options, "useRaw", false);
    o.layer = text_or(options, "layer", "");
    o.genome = text_or(options, "genome", "");
    o.gene_column = text_or(options, "geneColumn", "");
    ValH5Source src(source);
    io::InputFormat fmt = io::InputFormat::Unknown;
    CellMatrix m = io::read_h5(src, o, &fmt);
    return store(s, role, std::move(m), src.name(), io::format_name(fmt));
}

val attach_labels(Session& s, const std::string& role, const ByteBuffer& bytes, const std::string& name,
                  const std::string& column) {
    CellMatrix& m = s.matrix(role);
    io::LabelsOptions lo;
    lo.column = column;
    std::vector<io::LabelPair> pairs = io::parse_labels(bytes.bytes(), name, lo);
    // The join of `scpt annotate --labels` (exact barcodes, then the 10x GEM-well suffix), kept
    // for annotate with the file's name and warnings.
    annotate::CellLabels joined = annotate::labels_for_cells(m.barcodes, pairs, name, "the " + role);
    ObsColumn col = annotate::labels_column(joined, pairs, "labels: " + name);
    for (auto& existing : m.obs)
        if (existing.name == col.name) existing = ObsColumn{};
    m.obs.erase(std::remove_if(m.obs.begin(), m.obs.end(), [](const ObsColumn& c) { return c.name.empty(); }), m.obs.end());
    val out = val::object();
    out.set("column", col.name);
    out.set("matched", double(joined.rows_matched));
    out.set("lines", double(pairs.size()));
    out.set("cells", double(m.n_cells));
    out.set("classes", double(col.levels.size()));
    val warnings = string_array(joined.warnings);
    out.set("warnings", warnings);
    const std::string column_name = col.name;
    m.obs.push_back(std::move(col));
    s.put_file_labels(role, column_name, FileLabels{name, std::move(joined)});
    return out;
}

val attach_folder_metadata(Session& s, const std::string& role, const ByteBuffer* obs, const std::string& obs_name,
                           const ByteBuffer* labels, const std::string& labels_name) {
    CellMatrix& m = s.matrix(role);
    std::vector<std::string> notes;
    io::FolderMetadata f;
    f.has_obs = obs != nullptr;
    if (obs) f.obs = obs->bytes(), f.obs_name = obs_name;
    f.has_labels = labels != nullptr;
    if (labels) f.labels = labels->bytes(), f.labels_name = labels_name;
    io::attach_folder_metadata(m, f, Limits{}, &notes);
    for (const auto& n : notes) m.notes.push_back(n);
    val out = string_array(notes);
    return out;
}

}  // namespace scpt::wasm
