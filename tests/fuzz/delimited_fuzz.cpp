// libFuzzer target: CSV/TSV expression matrices (plain or gzip). Oracle: an accepted matrix is
// structurally valid and has one name per row and column.
// Input: byte 0 = orientation (0 auto, 1 genes in rows, 2 cells in rows), the rest = the file.
#include "core/data/input_checks.hpp"
#include "core/io/delimited.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fuzz_util.hpp"

using namespace scpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    io::ReadOptions o;
    o.limits = fuzz::small_limits();
    o.orientation = data[0] % 3 == 0 ? io::Orientation::Auto
                    : data[0] % 3 == 1 ? io::Orientation::GenesAreRows : io::Orientation::CellsAreRows;
    CellMatrix m;
    try {
        m = io::read_delimited(fuzz::bytes_of(data + 1, size - 1), "x.csv", o);
    } catch (const InputError&) {
        return 0;
    }
    if (int64_t(m.barcodes.size()) != m.n_cells || int64_t(m.gene_symbols.size()) != m.n_genes)
        fuzz::fail("names do not match the dimensions");
    try {
        m.validate("x.csv");
    } catch (const InputError& e) {
        fuzz::fail("read_delimited returned an invalid matrix", e.what());
    }
    try {
        check_input_matrix(m, "x.csv");
    } catch (const InputError&) {
    }
    return 0;
}
