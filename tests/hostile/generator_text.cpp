// Edits of text inputs: files (copy, cut, flip, lines), gzip, Matrix Market and CSV specifics.
// Deliberately independent of core/io: a generator that shared the readers' code would share
// their bugs.
#include <dirent.h>
#include <sys/stat.h>
#include <zlib.h>

#include <cstdio>
#include <sstream>

#include "tests/hostile/generator.hpp"

namespace scpt::hostile {
namespace {

bool is_dir(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool exists(const std::string& p) {
    struct stat st;
    return ::stat(p.c_str(), &st) == 0;
}
std::string base_name(const std::string& p) {
    size_t s = p.find_last_of('/');
    return s == std::string::npos ? p : p.substr(s + 1);
}

// A ustar archive of `files` (each named folder/NAME inside), written by hand like `tar
// --format=ustar` would: one header per file, data padded to 512 bytes, two zero blocks.
std::string ustar(const std::string& dir, const std::vector<std::string>& files, const std::string& folder) {
    std::string out;
    for (const auto& f : files) {
        const std::string data = read_bytes(dir + "/" + f);
        std::string h(512, '\0');
        const std::string name = folder.empty() ? f : folder + "/" + f;
        h.replace(0, std::min<size_t>(name.size(), 100), name.substr(0, 100));
        std::snprintf(&h[100], 8, "%07o", 0644u);
        std::snprintf(&h[108], 8, "%07o", 0u);
        std::snprintf(&h[116], 8, "%07o", 0u);
        std::snprintf(&h[124], 12, "%011llo", static_cast<unsigned long long>(data.size()));
        std::snprintf(&h[136], 12, "%011o", 0u);
        h[156] = '0';
        h.replace(257, 8, std::string("ustar\0" "00", 8));
        h.replace(148, 8, "        ");
        unsigned sum = 0;
        for (char c : h) sum += uint8_t(c);
        std::snprintf(&h[148], 8, "%06o", sum);
        out += h + data + std::string((512 - data.size() % 512) % 512, '\0');
    }
    return out + std::string(1024, '\0');
}

std::string gzip(const std::string& in) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, uLong(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    z.next_out = reinterpret_cast<Bytef*>(&out[0]);
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string gunzip(const std::string& in) {
    z_stream z{};
    inflateInit2(&z, 16 + MAX_WBITS);
    std::string out;
    char buf[65536];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = uInt(in.size());
    int rc;
    do {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    } while (rc == Z_OK);
    inflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("generator: cannot gunzip a source file");
    return out;
}

// Streams `prefix` then `text` x times through deflate without holding the whole (huge) output.
std::string gzip_repeated(const std::string& prefix, const std::string& text, uint64_t times) {
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
    std::string out, block;
    while (block.size() < (1u << 20) && block.size() < text.size() * times) block += text;
    const uint64_t per_block = block.size() / std::max<size_t>(1, text.size());
    char buf[65536];
    auto pump = [&](const std::string& in, int flush) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z.avail_in = uInt(in.size());
        do {
            z.next_out = reinterpret_cast<Bytef*>(buf);
            z.avail_out = sizeof buf;
            deflate(&z, flush);
            out.append(buf, sizeof buf - z.avail_out);
        } while (z.avail_out == 0);
    };
    pump(prefix, Z_NO_FLUSH);
    for (uint64_t done = 0; done < times;) {
        uint64_t n = std::min<uint64_t>(per_block, times - done);
        pump(n == per_block ? block : block.substr(0, size_t(n) * text.size()), Z_NO_FLUSH);
        done += n;
    }
    pump(std::string(), Z_FINISH);
    deflateEnd(&z);
    return out;
}

// A file as lines (without '\n'), remembering whether the last one was terminated.
struct Lines {
    std::vector<std::string> v;
    bool final_newline = true;
    explicit Lines(const std::string& text) {
        std::string cur;
        for (char c : text) {
            if (c == '\n') v.push_back(cur), cur.clear();
            else cur.push_back(c);
        }
        final_newline = cur.empty();
        if (!cur.empty()) v.push_back(cur);
    }
    std::string text() const {
        std::string s;
        for (size_t i = 0; i < v.size(); ++i) s += v[i] + (i + 1 < v.size() || final_newline ? "\n" : "");
        return s;
    }
    size_t index(int64_t line) const {  // 1-based, negative counts from the end
        int64_t i = line > 0 ? line - 1 : int64_t(v.size()) + line;
        if (i < 0 || i > int64_t(v.size())) throw std::runtime_error("generator: line " + std::to_string(line) + " out of range");
        return size_t(i);
    }
};

// Matrix Market text: header lines (banner, comments), the size line, entry lines.
struct Mtx {
    std::vector<std::string> head;
    uint64_t rows = 0, cols = 0, entries = 0;
    std::vector<std::string> body;
    explicit Mtx(const std::string& text) {
        Lines l(text);
        size_t i = 0;
        for (; i < l.v.size() && (l.v[i].empty() || l.v[i][0] == '%'); ++i) head.push_back(l.v[i]);
        if (i == l.v.size() || std::sscanf(l.v[i].c_str(), "%lu %lu %lu", &rows, &cols, &entries) != 3)
            throw std::runtime_error("generator: source is not a Matrix Market file");
        body.assign(l.v.begin() + int64_t(i) + 1, l.v.end());
    }
    std::string text(const std::string& size_line = "") const {
        std::string s;
        for (const auto& h : head) s += h + "\n";
        s += size_line.empty() ? std::to_string(rows) + " " + std::to_string(cols) + " " + std::to_string(entries) : size_line;
        s += "\n";
        for (const auto& b : body) s += b + "\n";
        return s;
    }
    static void parse(const std::string& e, uint64_t& r, uint64_t& c, std::string& v) {
        std::istringstream ss(e);
        ss >> r >> c >> v;
    }
};

std::string field_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

void copy_into(const std::string& from, const std::string& to) { write_bytes(to, read_bytes(from)); }

}  // namespace

bool apply_text_op(const json& op, const std::string& data_dir, const std::string& dir) {
    const std::string name = op.at("op").get<std::string>();
    auto file = [&](const char* key = "file") { return in_dir(dir, op.at(key).get<std::string>()); };

    if (name == "copy") {
        const std::string from = data_dir + "/" + op.at("from").get<std::string>();
        if (!exists(from)) throw MissingData(from);
        if (is_dir(from)) {
            std::string to = op.contains("to") ? in_dir(dir, op.at("to").get<std::string>()) : dir;
            ::mkdir(to.c_str(), 0755);
            DIR* d = ::opendir(from.c_str());
            while (dirent* e = ::readdir(d)) {
                std::string p = from + "/" + e->d_name;
                if (e->d_name[0] != '.' && !is_dir(p)) copy_into(p, to + "/" + e->d_name);
            }
            ::closedir(d);
        } else {
            copy_into(from, op.contains("to") ? file("to") : dir + "/" + base_name(from));
        }
    } else if (name == "copy_file") {
        copy_into(file(), file("to"));
    } else if (name == "write") {
        write_bytes(file(), op.at("text").get<std::string>());
    } else if (name == "append") {
        std::string s = read_bytes(file()), t = op.at("text").get<std::string>();
        for (int64_t i = 0, n = op.value("times", 1); i < n; ++i) s += t;
        write_bytes(file(), s);
    } else if (name == "cut") {
        std::string s = read_bytes(file());
        if (op.contains("fraction")) s.resize(size_t(double(s.size()) * op.at("fraction").get<double>()));
        else if (op.contains("keep_bytes")) s.resize(std::min(s.size(), op.at("keep_bytes").get<size_t>()));
        else {
            Lines l(s);
            l.v.resize(std::min(l.v.size(), op.at("keep_lines").get<size_t>()));
            s = l.text();
        }
        write_bytes(file(), s);
    } else if (name == "flip") {
        std::string s = read_bytes(file());
        size_t at = op.contains("offset") ? op.at("offset").get<size_t>() : size_t(double(s.size()) * op.at("at").get<double>());
        for (size_t k = 0, n = op.value("count", 1); k < n && at + k < s.size(); ++k) s[at + k] = char(s[at + k] ^ 0x5a);
        write_bytes(file(), s);
    } else if (name == "set_line" || name == "insert_line" || name == "delete_line" || name == "duplicate_line") {
        Lines l(read_bytes(file()));
        size_t i = l.index(op.at("line").get<int64_t>());
        if (name == "set_line") l.v.at(i) = op.at("text").get<std::string>();
        else if (name == "insert_line") l.v.insert(l.v.begin() + int64_t(i), op.at("text").get<std::string>());
        else if (name == "delete_line") l.v.erase(l.v.begin() + int64_t(i));
        else l.v.insert(l.v.begin() + int64_t(i), l.v.at(i));
        write_bytes(file(), l.text());
    } else if (name == "replace") {
        std::string s = read_bytes(file()), f = op.at("find").get<std::string>(), w = op.at("with").get<std::string>();
        size_t at = s.find(f);
        if (at == std::string::npos) throw std::runtime_error("generator: '" + f + "' not found");
        s.replace(at, f.size(), w);
        write_bytes(file(), s);
    } else if (name == "gzip") {
        write_bytes(file() + ".gz", gzip(read_bytes(file())));
        std::remove(file().c_str());
    } else if (name == "gunzip") {
        std::string p = file();
        if (p.size() < 4 || p.substr(p.size() - 3) != ".gz") throw std::runtime_error("generator: gunzip needs a .gz name");
        write_bytes(p.substr(0, p.size() - 3), gunzip(read_bytes(p)));
        std::remove(p.c_str());
    } else if (name == "tar") {
        write_bytes(file("to"), ustar(dir, op.at("files").get<std::vector<std::string>>(), op.value("folder", std::string())));
    } else if (name == "delete") {
        std::remove(file().c_str());
    } else if (name == "rename") {
        std::rename(file().c_str(), file("to").c_str());
    } else if (name == "gzip_repeated") {
        std::string prefix = op.contains("prefix_lines_of")
                                 ? [&] {
                                       Lines l(read_bytes(file("prefix_lines_of")));
                                       l.v.resize(std::min(l.v.size(), op.at("prefix_lines").get<size_t>()));
                                       l.final_newline = true;
                                       return l.text();
                                   }()
                                 : std::string();
        write_bytes(file(), gzip_repeated(prefix, op.at("text").get<std::string>(), op.at("times").get<uint64_t>()));
    } else if (name == "mtx_size") {
        Mtx m(read_bytes(file()));
        auto part = [&](const char* k, uint64_t v) { return op.contains(k) ? field_text(op.at(k)) : std::to_string(v); };
        write_bytes(file(), m.text(part("rows", m.rows) + " " + part("cols", m.cols) + " " + part("entries", m.entries)));
    } else if (name == "mtx_entry") {
        Mtx m(read_bytes(file()));
        std::string& e = m.body.at(size_t(op.at("entry").get<int64_t>() - 1));
        uint64_t r, c;
        std::string v;
        Mtx::parse(e, r, c, v);
        e = (op.contains("row") ? field_text(op.at("row")) : std::to_string(r)) + " " +
            (op.contains("col") ? field_text(op.at("col")) : std::to_string(c)) +
            (v.empty() && !op.contains("value") ? "" : " " + (op.contains("value") ? field_text(op.at("value")) : v));
        write_bytes(file(), m.text());
    } else if (name == "mtx_duplicate_entry") {
        Mtx m(read_bytes(file()));
        size_t k = size_t(op.at("entry").get<int64_t>() - 1);
        m.body.insert(m.body.begin() + int64_t(k), m.body.at(k));
        ++m.entries;
        write_bytes(file(), m.text());
    } else if (name == "mtx_drop_cell" || name == "mtx_clear") {
        Mtx m(read_bytes(file()));
        uint64_t col = name == "mtx_clear" ? 0 : op.at("col").get<uint64_t>();
        std::vector<std::string> kept;
        for (const auto& e : m.body) {
            uint64_t r, c;
            std::string v;
            Mtx::parse(e, r, c, v);
            if (col != 0 && c != col) kept.push_back(e);
        }
        m.body = kept;
        m.entries = kept.size();
        write_bytes(file(), m.text());
    } else if (name == "mtx_keep") {
        // Keeps the first `cells` columns and/or `genes` rows of a 10x trio (plain files).
        Mtx m(read_bytes(file("matrix")));
        uint64_t cells = op.value("cells", m.cols), genes = op.value("genes", m.rows);
        std::vector<std::string> kept;
        for (const auto& e : m.body) {
            uint64_t r, c;
            std::string v;
            Mtx::parse(e, r, c, v);
            if (r <= genes && c <= cells) kept.push_back(e);
        }
        m.body = kept;
        m.rows = genes, m.cols = cells, m.entries = kept.size();
        write_bytes(file("matrix"), m.text());
        Lines f(read_bytes(file("features"))), b(read_bytes(file("barcodes")));
        f.v.resize(size_t(genes));
        b.v.resize(size_t(cells));
        write_bytes(file("features"), f.text());
        write_bytes(file("barcodes"), b.text());
    } else if (name == "mtx_to_csv") {
        // A dense CSV (genes in rows, a header of barcodes) of a real 10x trio (plain files).
        Mtx m(read_bytes(file("matrix")));
        Lines f(read_bytes(file("features"))), b(read_bytes(file("barcodes")));
        std::vector<std::string> cell(size_t(m.rows * m.cols), "0");
        for (const auto& e : m.body) {
            uint64_t r, c;
            std::string v;
            Mtx::parse(e, r, c, v);
            cell[size_t((r - 1) * m.cols + (c - 1))] = v;
        }
        std::string s = "gene";
        for (const auto& bc : b.v) s += "," + bc.substr(0, bc.find('\t'));
        s += "\n";
        for (uint64_t r = 0; r < m.rows; ++r) {
            std::string g = f.v[size_t(r)];
            size_t t = g.find('\t');
            std::string sym = t == std::string::npos ? g : g.substr(t + 1, g.find('\t', t + 1) - t - 1);
            s += sym;
            for (uint64_t c = 0; c < m.cols; ++c) s += "," + cell[size_t(r * m.cols + c)];
            s += "\n";
        }
        write_bytes(file(), s);
    } else if (name == "csv_field" || name == "csv_drop_field") {
        Lines l(read_bytes(file()));
        std::string& line = l.v.at(l.index(op.at("line").get<int64_t>()));
        std::vector<std::string> f;
        std::string cur;
        for (char c : line) {
            if (c == ',') f.push_back(cur), cur.clear();
            else cur.push_back(c);
        }
        f.push_back(cur);
        size_t k = size_t(op.at("field").get<int64_t>() - 1);
        if (name == "csv_field") f.at(k) = op.at("text").get<std::string>();
        else f.erase(f.begin() + int64_t(k));
        line.clear();
        for (size_t i = 0; i < f.size(); ++i) line += (i ? "," : "") + f[i];
        write_bytes(file(), l.text());
    } else {
        return false;
    }
    return true;
}

}  // namespace scpt::hostile
