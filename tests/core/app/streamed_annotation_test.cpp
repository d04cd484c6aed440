// A query fed in chunks gets per cell what the whole query at once gets: the same labels (the
// query-typicality rule decided over every chunk), confidences and barcodes, for chunks of any size.
#include "core/app/streamed_annotation.hpp"

#include <gtest/gtest.h>

#include "core/util/error.hpp"
#include "tests/core/annotate/shipped_model.hpp"  // labels_of
#include "tests/test_data.hpp"
#include "tools/native/input.hpp"

namespace scpt::app {
namespace {

// Rows [first, first + n) of m, with all its genes.
CellMatrix rows_of(const CellMatrix& m, int64_t first, int64_t n) {
    CellMatrix c;
    c.n_cells = n;
    c.n_genes = m.n_genes;
    c.gene_ids = m.gene_ids;
    c.gene_symbols = m.gene_symbols;
    c.indptr.assign(1, 0);
    for (int64_t i = first; i < first + n; ++i) {
        for (int64_t k = m.indptr[size_t(i)]; k < m.indptr[size_t(i) + 1]; ++k) {
            c.indices.push_back(m.indices[size_t(k)]);
            c.values.push_back(m.values[size_t(k)]);
        }
        c.indptr.push_back(int64_t(c.indices.size()));
        c.barcodes.push_back(m.barcodes[size_t(i)]);
    }
    return c;
}

TEST(StreamedAnnotation, ChunksOfAnySizeGiveWhatTheWholeQueryGets) {
    SCPT_REQUIRE_DATA("cellbench_celseq2_3cl/matrix.mtx.gz");
    SCPT_REQUIRE_DATA("cellbench_celseq2_5cl/matrix.mtx.gz");
    const CellMatrix ref = native::read_input(test::data_path("cellbench_celseq2_3cl"));
    const CellMatrix query = native::read_input(test::data_path("cellbench_celseq2_5cl"));
    const std::vector<std::string> labels = test::labels_of(ref);
    annotate::AnnotateOptions o;  // the defaults: query-typicality decides over the whole query
    o.query_name = "the 5 cell lines";
    const annotate::Annotator whole = annotate::Annotator::fit(ref, labels, &query, nullptr, o);
    const annotate::Predictions all = whole.predict(query, nullptr, o.query_name);
    {
        const int64_t chunk = 77;  // not a divisor of the query's cells: a short last chunk
        StreamedAnnotationOptions so;
        so.total_cells = query.n_cells;
        StreamedAnnotation s(ref, labels, rows_of(query, 0, 0), nullptr, o, so);
        for (int64_t first = 0; first < query.n_cells; first += chunk)
            s.add(rows_of(query, first, std::min(chunk, query.n_cells - first)));
        EXPECT_EQ(s.cells(), query.n_cells);
        std::vector<int32_t> label;
        std::vector<float> confidence;
        std::vector<std::string> barcodes;
        std::vector<int64_t> rows;
        for (const auto& p : s.finish()) {
            label.insert(label.end(), p.label.begin(), p.label.end());
            confidence.insert(confidence.end(), p.confidence.begin(), p.confidence.end());
            barcodes.insert(barcodes.end(), p.barcodes.begin(), p.barcodes.end());
            rows.insert(rows.end(), p.cells.begin(), p.cells.end());
        }
        EXPECT_EQ(label, all.label);
        // The same arithmetic on fewer rows at a time: equal up to the matrix kernels' blocking.
        ASSERT_EQ(confidence.size(), all.confidence.size());
        for (size_t i = 0; i < confidence.size(); ++i) EXPECT_NEAR(confidence[i], all.confidence[i], 1e-5) << "cell " << i;
        EXPECT_EQ(barcodes, all.barcodes);
        EXPECT_EQ(rows, all.cells) << "rows of the query, not of a chunk";
        EXPECT_EQ(s.genes_summary(), all.genes.summary);
    }
}

// Two types in 40 cells of 10 genes (each type expresses its own five): the fit takes no time,
// also under the sanitizers, and only the empty stream is being tested.
CellMatrix two_types(std::vector<std::string>* labels) {
    CellMatrix m;
    m.n_cells = 40;
    m.n_genes = 10;
    m.indptr.assign(1, 0);
    for (int g = 0; g < 10; ++g) {
        m.gene_ids.push_back("G" + std::to_string(g));
        m.gene_symbols.push_back("GENE" + std::to_string(g));
    }
    for (int c = 0; c < 40; ++c) {
        const int first = c < 20 ? 0 : 5;
        for (int g = first; g < first + 5; ++g) {
            m.indices.push_back(g);
            m.values.push_back(float(1 + (c + g) % 4));
        }
        m.indptr.push_back(int64_t(m.indices.size()));
        m.barcodes.push_back("cell" + std::to_string(c));
        labels->push_back(c < 20 ? "A" : "B");
    }
    return m;
}

TEST(StreamedAnnotation, NoCellsIsAnErrorNamingTheQuery) {
    std::vector<std::string> labels;
    const CellMatrix ref = two_types(&labels);
    annotate::AnnotateOptions o;
    o.query_name = "empty.mtx";
    StreamedAnnotation s(ref, labels, rows_of(ref, 0, 0), nullptr, o);
    s.add(rows_of(ref, 0, 0));  // a chunk without cells changes nothing
    EXPECT_EQ(s.cells(), 0);
    try {
        s.finish();
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("empty.mtx"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace scpt::app
