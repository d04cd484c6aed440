// libFuzzer target: HDF5 inputs (10x .h5, AnnData, Loom, Cell BLAST) from a file image in memory
// through libhdf5 and core's layout readers. Oracle: an accepted matrix is valid with one name per
// gene and cell. libhdf5 itself is not instrumented: its own crashes on crafted files surface as
// crashes here and are recorded in FUZZING.md (libhdf5 1.10.8 has known CVEs on crafted files).
#include "core/io/format.hpp"
#include "core/util/error.hpp"
#include "tests/fuzz/fuzz_util.hpp"
#include "tools/native/hdf5_file.hpp"

using namespace scpt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    io::ReadOptions o;
    o.limits = fuzz::small_limits();
    try {
        auto f = native::Hdf5File::open_image("fuzz.h5", std::string(fuzz::bytes_of(data, size)));
        CellMatrix m = io::read_h5(*f, o);
        if (int64_t(m.barcodes.size()) != m.n_cells || int64_t(m.gene_symbols.size()) != m.n_genes)
            fuzz::fail("names do not match the dimensions");
        try {
            m.validate("fuzz.h5");
        } catch (const InputError&) {
            fuzz::fail("read_h5 returned an invalid matrix");
        }
    } catch (const InputError&) {
    }
    return 0;
}
