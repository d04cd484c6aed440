// The entry points of the scpt-dev module only (tools/wasm-build: build-wasm/web/scpt-dev.*): what
// node tests and the benchmark pages need and the page never calls. Free functions taking the
// session, since Embind registers the Session class once, in wasm/bindings.cpp. The streamed
// annotator (stream_annotate_api.cpp) registers its own class here too.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "wasm/dev/bench_kernel.hpp"
#include "wasm/dev/matrix_dev_api.hpp"
#include "wasm/js_error.hpp"
#include "wasm/session.hpp"

using emscripten::optional_override;
using emscripten::val;
using scpt::wasm::guarded;
using scpt::wasm::Session;

namespace {

val bench(Session& s, const std::string& name, int hidden, int reps, val on_progress) {
    auto r = scpt::wasm::bench_sparse_encode(s.matrix(name), hidden, reps, s.begin(on_progress));
    val o = val::object();
    o.set("seconds", r.seconds);
    o.set("gflops", r.gflops);
    o.set("checksum", r.checksum);
    o.set("threads", s.threads());
    return o;
}

}  // namespace

EMSCRIPTEN_BINDINGS(scpt_dev) {
    emscripten::function("matrixNames", optional_override([](const Session& s) { return s.matrix_names(); }));
    emscripten::function("matrixFromCsr", optional_override([](Session& s, std::string name, val spec) {
                             return guarded([&] { return scpt::wasm::matrix_from_csr(s, name, spec); });
                         }));
    emscripten::function("matrixBarcodes", optional_override([](const Session& s, std::string name) {
                             return guarded([&] { return scpt::wasm::matrix_barcodes(s, name); });
                         }));
    emscripten::function("matrixGeneSymbols", optional_override([](const Session& s, std::string name) {
                             return guarded([&] { return scpt::wasm::matrix_gene_symbols(s, name); });
                         }));
    emscripten::function("matrixGeneIds", optional_override([](const Session& s, std::string name) {
                             return guarded([&] { return scpt::wasm::matrix_gene_ids(s, name); });
                         }));
    emscripten::function("matrixSetObs",
                         optional_override([](Session& s, std::string name, std::string column, val levels, val values) {
                             guarded([&] { scpt::wasm::matrix_set_obs(s, name, column, levels, values); });
                         }));
    // The encoder's inner loop alone (bench_kernel.hpp): SIMD vs scalar vs threads.
    emscripten::function("benchEncodeKernel",
                         optional_override([](Session& s, std::string name, int hidden, int reps, val on_progress) {
                             return guarded([&] { return bench(s, name, hidden, reps, on_progress); });
                         }));
}
