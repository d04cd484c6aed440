#include "core/io/h5ad_write.hpp"

#include <set>
#include <stdexcept>

namespace scpt::io {

namespace {

void encoding(H5Sink& s, const std::string& path, const char* type, const char* version) {
    s.set_string_attribute(path, "encoding-type", type);
    s.set_string_attribute(path, "encoding-version", version);
}

void dict_group(H5Sink& s, const std::string& path) {
    s.create_group(path);
    encoding(s, path, "dict", "0.1.0");
}

void string_array(H5Sink& s, const std::string& path, const std::vector<std::string>& v) {
    s.write_strings(path, v);
    encoding(s, path, "string-array", "0.2.0");
}

void write_column(H5Sink& s, const std::string& path, const H5adColumn& c) {
    const std::vector<int64_t> shape{c.size()};
    switch (c.kind) {
        case H5adColumn::Kind::Categorical:
            s.create_group(path);
            encoding(s, path, "categorical", "0.2.0");
            s.set_bool_attribute(path, "ordered", false);
            s.write_int32(path + "/codes", shape, c.codes.data());
            encoding(s, path + "/codes", "array", "0.2.0");
            string_array(s, path + "/categories", c.categories);
            return;
        case H5adColumn::Kind::Float32: s.write_float(path, shape, c.f32.data()); break;
        case H5adColumn::Kind::Float64: s.write_double(path, shape, c.f64.data()); break;
        case H5adColumn::Kind::Int32: s.write_int32(path, shape, c.i32.data()); break;
        case H5adColumn::Kind::Bool: s.write_bool(path, shape, c.flags.data()); break;
    }
    encoding(s, path, "array", "0.2.0");
}

void check_column(const H5adColumn& c, int64_t n, std::set<std::string>& names) {
    if (c.name.empty() || c.name == "_index" || c.name.find('/') != std::string::npos)
        throw std::invalid_argument("write_h5ad: obs column name '" + c.name + "' is empty, reserved or holds '/'");
    if (!names.insert(c.name).second) throw std::invalid_argument("write_h5ad: obs column '" + c.name + "' given twice");
    if (c.size() != n)
        throw std::invalid_argument("write_h5ad: obs column '" + c.name + "' has " + std::to_string(c.size()) +
                                    " values for " + std::to_string(n) + " cells");
    if (c.kind == H5adColumn::Kind::Categorical)
        for (int32_t code : c.codes)
            if (code < -1 || code >= int32_t(c.categories.size()))
                throw std::invalid_argument("write_h5ad: obs column '" + c.name + "' has code " + std::to_string(code) +
                                            " outside its " + std::to_string(c.categories.size()) + " categories");
}

void dataframe(H5Sink& s, const std::string& path, const std::vector<std::string>& index,
               const std::vector<H5adColumn>& columns) {
    s.create_group(path);
    encoding(s, path, "dataframe", "0.2.0");
    s.set_string_attribute(path, "_index", "_index");
    std::vector<std::string> order;
    for (const auto& c : columns) order.push_back(c.name);
    s.set_strings_attribute(path, "column-order", order);
    string_array(s, path + "/_index", index);
    for (const auto& c : columns) write_column(s, path + "/" + c.name, c);
}

}  // namespace

int64_t H5adColumn::size() const {
    switch (kind) {
        case Kind::Categorical: return int64_t(codes.size());
        case Kind::Float32: return int64_t(f32.size());
        case Kind::Float64: return int64_t(f64.size());
        case Kind::Int32: return int64_t(i32.size());
        case Kind::Bool: return int64_t(flags.size());
    }
    return 0;
}

H5adColumn H5adColumn::categorical(std::string name, std::vector<std::string> categories, std::vector<int32_t> codes) {
    H5adColumn c;
    c.name = std::move(name);
    c.kind = Kind::Categorical;
    c.categories = std::move(categories);
    c.codes = std::move(codes);
    return c;
}
H5adColumn H5adColumn::float32(std::string name, std::vector<float> v) {
    H5adColumn c;
    c.name = std::move(name);
    c.kind = Kind::Float32;
    c.f32 = std::move(v);
    return c;
}
H5adColumn H5adColumn::float64(std::string name, std::vector<double> v) {
    H5adColumn c;
    c.name = std::move(name);
    c.kind = Kind::Float64;
    c.f64 = std::move(v);
    return c;
}
H5adColumn H5adColumn::int32(std::string name, std::vector<int32_t> v) {
    H5adColumn c;
    c.name = std::move(name);
    c.kind = Kind::Int32;
    c.i32 = std::move(v);
    return c;
}
H5adColumn H5adColumn::boolean(std::string name, std::vector<uint8_t> v) {
    H5adColumn c;
    c.name = std::move(name);
    c.kind = Kind::Bool;
    c.flags = std::move(v);
    return c;
}

void write_h5ad(const H5adContent& c, H5Sink& s) {
    if (!c.matrix) throw std::invalid_argument("write_h5ad: no matrix");
    const CellMatrix& m = *c.matrix;
    std::vector<int64_t> rows = c.rows;
    if (rows.empty())
        for (int64_t i = 0; i < m.n_cells; ++i) rows.push_back(i);
    const int64_t n = int64_t(rows.size());
    for (int64_t r : rows)
        if (r < 0 || r >= m.n_cells)
            throw std::invalid_argument("write_h5ad: row " + std::to_string(r) + " outside the matrix's " +
                                        std::to_string(m.n_cells) + " cells");
    std::set<std::string> names;
    for (const auto& col : c.obs) check_column(col, n, names);
    std::set<std::string> mats;
    for (const auto& o : c.obsm)
        if (o.name.empty() || o.name.find('/') != std::string::npos || !mats.insert(o.name).second || o.cols <= 0 ||
            int64_t(o.values.size()) != n * o.cols)
            throw std::invalid_argument("write_h5ad: obsm '" + o.name + "' is unnamed, given twice, or has " +
                                        std::to_string(o.values.size()) + " values for " + std::to_string(n) +
                                        " cells x " + std::to_string(o.cols));

    s.create_group("/");
    encoding(s, "/", "anndata", "0.1.0");

    // X: the written rows' CSR slices, in order.
    std::vector<int64_t> indptr{0};
    std::vector<int32_t> indices;
    std::vector<float> data;
    for (int64_t r : rows) {
        const auto b = size_t(m.indptr[size_t(r)]), e = size_t(m.indptr[size_t(r) + 1]);
        indices.insert(indices.end(), m.indices.begin() + long(b), m.indices.begin() + long(e));
        data.insert(data.end(), m.values.begin() + long(b), m.values.begin() + long(e));
        indptr.push_back(int64_t(data.size()));
    }
    s.create_group("/X");
    encoding(s, "/X", "csr_matrix", "0.1.0");
    s.set_int64s_attribute("/X", "shape", {n, m.n_genes});
    s.write_float("/X/data", {int64_t(data.size())}, data.data());
    s.write_int32("/X/indices", {int64_t(indices.size())}, indices.data());
    s.write_int64("/X/indptr", {int64_t(indptr.size())}, indptr.data());

    std::vector<std::string> barcodes;
    barcodes.reserve(size_t(n));
    for (int64_t r : rows) barcodes.push_back(size_t(r) < m.barcodes.size() ? m.barcodes[size_t(r)] : std::to_string(r));
    dataframe(s, "/obs", barcodes, c.obs);

    std::vector<std::string> symbols = m.gene_symbols, ids = m.gene_ids;
    symbols.resize(size_t(m.n_genes));
    ids.resize(size_t(m.n_genes));
    for (size_t g = 0; g < symbols.size(); ++g) {
        if (symbols[g].empty()) symbols[g] = ids[g];
        if (ids[g].empty()) ids[g] = symbols[g];
    }
    // var: the symbols as index, the ids as a string column (string-array, as anndata writes str).
    s.create_group("/var");
    encoding(s, "/var", "dataframe", "0.2.0");
    s.set_string_attribute("/var", "_index", "_index");
    s.set_strings_attribute("/var", "column-order", {"gene_ids"});
    string_array(s, "/var/_index", symbols);
    string_array(s, "/var/gene_ids", ids);

    dict_group(s, "/obsm");
    for (const auto& o : c.obsm) {
        s.write_float("/obsm/" + o.name, {n, o.cols}, o.values.data());
        encoding(s, "/obsm/" + o.name, "array", "0.2.0");
    }
    for (const char* g : {"/uns", "/layers", "/obsp", "/varm", "/varp"}) dict_group(s, g);
}

}  // namespace scpt::io
