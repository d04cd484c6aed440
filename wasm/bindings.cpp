// The module's JavaScript API, in one place (model_api.cpp registers the model functions,
// annotate_api.cpp annotate). Every entry point runs through guarded() so a
// C++ exception reaches JS as an Error with the core's message (see js_error.hpp). Functions
// taking `onProgress` accept a JS function (or undefined) called with {stage, fraction, message,
// value}; returning true from it asks the work to stop (it then fails with name "Cancelled").
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "core/io/format.hpp"
#include "core/io/read_failures.hpp"
#include "wasm/archive_api.hpp"
#include "wasm/js_arrays.hpp"
#include "wasm/js_error.hpp"
#include "wasm/js_object.hpp"
#include "wasm/matrix_api.hpp"
#include "wasm/cell_map_api.hpp"
#include "wasm/read_api.hpp"
#include "wasm/session.hpp"
#include "wasm/tenx_stream_api.hpp"

using emscripten::optional_override;
using emscripten::val;
using scpt::wasm::ByteBuffer;
using scpt::wasm::guarded;
using scpt::wasm::Session;
using scpt::wasm::TenxStreamReader;
using scpt::wasm::TarLister;

namespace {

val build_info() {
    val o = val::object();
    o.set("version", std::string(SCPT_VERSION));
#ifdef __wasm_simd128__
    o.set("simd", true);
#else
    o.set("simd", false);
#endif
#ifdef SCPT_WASM_THREADS
    o.set("threads", true);
#else
    o.set("threads", false);
#endif
    o.set("maxThreads", Session::max_threads());
    return o;
}

}  // namespace

EMSCRIPTEN_BINDINGS(scpt) {
    emscripten::function("buildInfo", &build_info);
    // Why a file of no known format cannot be read, in the CLI's words (after "NAME: ").
    emscripten::function("unreadableReason", optional_override([](std::string name) { return scpt::io::unreadable_reason(name); }));
    // The readers' words for a file that cannot be read (core/io/read_failures.hpp), for web/worker's own readers.
    emscripten::function("readFailure", optional_override([](std::string kind, std::string detail) {
                             return guarded([&] { return scpt::io::read_failure(kind, detail); });
                         }));

    emscripten::class_<ByteBuffer>("ByteBuffer")
        .constructor<>()
        .function("append", optional_override([](ByteBuffer& b, val chunk) { guarded([&] { b.append(chunk); }); }))
        .function("reserve", optional_override([](ByteBuffer& b, double n) { guarded([&] { b.reserve(n); }); }))
        .function("size", &ByteBuffer::size)
        .function("clear", &ByteBuffer::clear);

    // A factory rather than a constructor, so a bad features/barcodes file is a JS Error.
    emscripten::class_<TenxStreamReader>("TenxStream")
        .function("feed", optional_override([](TenxStreamReader& r, val chunk) { guarded([&] { r.feed(chunk); }); }))
        .function("finish", optional_override([](TenxStreamReader& r, Session& s, std::string role) {
                      return guarded([&] { return r.finish(s, role); });
                  }));
    emscripten::function("openTenxStream",
                         optional_override([](const ByteBuffer& f, const ByteBuffer& b, val names) {
                             return guarded([&] { return new TenxStreamReader(f, b, names); });
                         }),
                         emscripten::allow_raw_pointers());

    // A 10x folder inside a .tar[.gz] or .zip (wasm/archive_api.hpp): list, choose, locate.
    emscripten::class_<TarLister>("TarLister")
        .function("feed", optional_override([](TarLister& t, val chunk) { guarded([&] { t.feed(chunk); }); }))
        .function("finish", optional_override([](TarLister& t) { return guarded([&] { return t.finish(); }); }));
    emscripten::function("openTarLister", optional_override([](std::string name) { return new TarLister(name); }),
                         emscripten::allow_raw_pointers());
    emscripten::function("listZip", optional_override([](double size, val read_at, std::string name) {
                             return guarded([&] { return scpt::wasm::list_zip_members(size, read_at, name); });
                         }));
    emscripten::function("zipDataOffset",
                         optional_override([](val header, double at, double size, std::string path, std::string name) {
                             return guarded([&] { return scpt::wasm::zip_member_data_offset(header, at, size, path, name); });
                         }));
    emscripten::function("chooseTenxArchiveMembers", optional_override([](val members, std::string name) {
                             return guarded([&] { return scpt::wasm::choose_tenx_archive_members(members, name); });
                         }));

    emscripten::class_<Session>("Session")
        .constructor<>()
        .function("setThreads", optional_override([](Session& s, int n) { guarded([&] { s.set_threads(n); }); }))
        .function("threads", &Session::threads)
        .function("cancel", &Session::cancel)
        .function("cancelAddress", optional_override([](const Session& s) { return double(s.cancel_address()); }))
        .function("hasMatrix", &Session::has_matrix)
        .function("dropMatrix", &Session::drop_matrix)
        .function("matrixInfo", optional_override([](Session& s, std::string name) {
                      return guarded([&] { return scpt::wasm::matrix_info(s, name); });
                  }))
        .function("matrixCellStats", optional_override([](Session& s, std::string name) {
                      return guarded([&] { return scpt::wasm::matrix_cell_stats(s, name); });
                  }))
        .function("matrixObs", optional_override([](Session& s, std::string name, std::string column) {
                      return guarded([&] { return scpt::wasm::matrix_obs(s, name, column); });
                  }))
        .function("expressionMap",
                  optional_override([](Session& s, std::string name, val options, val on_progress) {
                      return guarded([&] { return scpt::wasm::expression_map(s, name, options, on_progress); });
                  }))
        .function("embeddingMap",
                  optional_override([](Session& s, std::string name, val options, val on_progress) {
                      return guarded([&] { return scpt::wasm::embedding_map(s, name, options, on_progress); });
                  }))
        .function("outcomeMap", optional_override([](Session& s, int outcome, val options, val on_progress) {
                      return guarded([&] { return scpt::wasm::outcome_map(s, outcome, options, on_progress); });
                  }))
        .function("readTenxFolder",
                  optional_override([](Session& s, std::string role, const ByteBuffer& m, const ByteBuffer& f,
                                       const ByteBuffer& b, val names, val on_progress) {
                      return guarded([&] { return scpt::wasm::read_tenx_folder(s, role, m, f, b, names, on_progress); });
                  }))
        .function("readDelimited",
                  optional_override([](Session& s, std::string role, const ByteBuffer& b, std::string name, val on_progress) {
                      return guarded([&] { return scpt::wasm::read_delimited(s, role, b, name, on_progress); });
                  }))
        .function("readMatrixMarket",
                  optional_override([](Session& s, std::string role, const ByteBuffer& b, std::string name, val on_progress) {
                      return guarded([&] { return scpt::wasm::read_matrix_market(s, role, b, name, on_progress); });
                  }))
        .function("readHdf5",
                  optional_override([](Session& s, std::string role, val source, val options, val on_progress) {
                      return guarded([&] { return scpt::wasm::read_hdf5(s, role, source, options, on_progress); });
                  }))
        .function("attachFolderMetadata",
                  optional_override([](Session& s, std::string role, val obs, std::string obs_name, val labels,
                                       std::string labels_name) {
                      return guarded([&] {
                          // Either may be null: Embind passes objects as val here, unwrapped below.
                          const ByteBuffer* o = scpt::wasm::absent(obs) ? nullptr : &obs.as<const ByteBuffer&>();
                          const ByteBuffer* l = scpt::wasm::absent(labels) ? nullptr : &labels.as<const ByteBuffer&>();
                          return scpt::wasm::attach_folder_metadata(s, role, o, obs_name, l, labels_name);
                      });
                  }))
        .function("attachLabels",
                  optional_override([](Session& s, std::string role, const ByteBuffer& b, std::string name, std::string column) {
                      return guarded([&] { return scpt::wasm::attach_labels(s, role, b, name, column); });
                  }));
}
