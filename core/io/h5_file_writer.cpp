#include "core/io/h5_file_writer.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/util/lookup3.hpp"

namespace scpt::io {

namespace {

constexpr uint64_t kUndefined = ~uint64_t(0);  // HDF5's undefined address
constexpr uint64_t kHeapMinSize = 4096;        // libhdf5's smallest global heap collection
constexpr uint64_t kHeapTarget = 1 << 20;      // a collection is closed past this size...
constexpr uint32_t kHeapMaxObjects = 65535;    // ...or this many objects (16-bit indices)

// Header message types (File Format Specification, IV.A.2).
enum : uint8_t { kDataspace = 0x01, kLinkInfo = 0x02, kDatatype = 0x03, kLink = 0x06, kLayout = 0x08,
                 kGroupInfo = 0x0A, kAttribute = 0x0C };

using Bytes = std::vector<uint8_t>;

void put(Bytes& b, uint64_t v, int n) {
    for (int i = 0; i < n; ++i) b.push_back(uint8_t(v >> (8 * i)));
}
void put_at(Bytes& b, size_t at, uint64_t v, int n) {
    for (int i = 0; i < n; ++i) b[at + size_t(i)] = uint8_t(v >> (8 * i));
}
void append(Bytes& b, const Bytes& more) { b.insert(b.end(), more.begin(), more.end()); }

// Datatype messages, version 1, little-endian (IV.A.2.d).
Bytes fixed_point(uint32_t size, bool is_signed) {
    Bytes t{0x10, uint8_t(is_signed ? 0x08 : 0x00), 0, 0};
    put(t, size, 4);
    put(t, 0, 2);         // bit offset
    put(t, size * 8, 2);  // precision
    return t;
}
Bytes floating_point(uint32_t size) {
    const bool d = size == 8;
    // Mantissa normalised with an implied leading 1 (bits 4-5 = 2); sign bit location.
    Bytes t{0x11, 0x20, uint8_t(d ? 63 : 31), 0};
    put(t, size, 4);
    put(t, 0, 2);
    put(t, size * 8, 2);
    t.push_back(uint8_t(d ? 52 : 23));  // exponent location
    t.push_back(uint8_t(d ? 11 : 8));   // exponent size
    t.push_back(0);                     // mantissa location
    t.push_back(uint8_t(d ? 52 : 23));  // mantissa size
    put(t, d ? 1023 : 127, 4);          // exponent bias
    return t;
}
// h5py's bool: enum over int8, FALSE = 0, TRUE = 1 (names NUL-terminated, padded to 8 bytes).
Bytes h5py_bool() {
    Bytes t{0x18, 2, 0, 0};  // 2 members
    put(t, 1, 4);
    append(t, fixed_point(1, true));
    for (const char* name : {"FALSE", "TRUE"}) {
        const size_t n = std::strlen(name) + 1, padded = (n + 7) / 8 * 8;
        t.insert(t.end(), name, name + n - 1);
        t.insert(t.end(), padded - n + 1, 0);
    }
    t.push_back(0);
    t.push_back(1);
    return t;
}
// Variable-length string, NUL-terminated, UTF-8; its base is an unsigned byte as libhdf5 writes.
Bytes vlen_utf8() {
    Bytes t{0x19, 0x01, 0x01, 0};
    put(t, 16, 4);  // 4-byte length + global heap id (8-byte address + 4-byte index)
    append(t, fixed_point(1, false));
    return t;
}

// Dataspace message, version 2: scalar for an empty shape, else simple (maximum = current).
Bytes dataspace(const std::vector<int64_t>& shape) {
    Bytes s{2, uint8_t(shape.size()), 0, uint8_t(shape.empty() ? 0 : 1)};
    for (int64_t d : shape) put(s, uint64_t(d), 8);
    return s;
}

uint64_t elements(const std::vector<int64_t>& shape, const std::string& path) {
    if (shape.empty() || shape.size() > 2) throw std::invalid_argument("H5FileWriter: " + path + " is not 1-D or 2-D");
    uint64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0) throw std::invalid_argument("H5FileWriter: " + path + " has a negative dimension");
        n *= uint64_t(d);
    }
    return n;
}

void message(Bytes& h, uint8_t type, const Bytes& body, uint8_t flags = 0) {
    if (body.size() > 0xFFFF) throw std::length_error("H5FileWriter: a header message over 64 KiB");
    h.push_back(type);
    put(h, body.size(), 2);
    h.push_back(flags);
    append(h, body);
}

}  // namespace

H5FileWriter::H5FileWriter() : out_(48, 0) {}  // the superblock goes first, written last

size_t H5FileWriter::add_object(const std::string& path, bool group) {
    if (finished_) throw std::logic_error("H5FileWriter: " + path + " after finish()");
    if (index_.count(path)) throw std::invalid_argument("H5FileWriter: " + path + " created twice");
    Object o;
    o.group = group;
    if (path == "/") {
        if (!group) throw std::invalid_argument("H5FileWriter: the root must be a group");
        index_[path] = objects_.size();
        objects_.push_back(std::move(o));
        return objects_.size() - 1;
    }
    const size_t slash = path.rfind('/');
    if (path.empty() || path[0] != '/' || slash == std::string::npos || slash + 1 == path.size())
        throw std::invalid_argument("H5FileWriter: '" + path + "' is not an absolute path");
    const std::string parent = slash == 0 ? "/" : path.substr(0, slash);
    auto it = index_.find(parent);
    if (it == index_.end() || !objects_[it->second].group)
        throw std::invalid_argument("H5FileWriter: the parent group of " + path + " does not exist");
    const std::string leaf = path.substr(slash + 1);
    if (leaf.size() > 0xFFFF) throw std::invalid_argument("H5FileWriter: a name over 64 KiB in " + path);
    const size_t id = objects_.size();
    objects_.push_back(std::move(o));
    objects_[it->second].links.emplace_back(leaf, id);
    index_[path] = id;
    return id;
}

H5FileWriter::Object& H5FileWriter::object_at(const std::string& path, const std::string& what) {
    auto it = index_.find(path);
    if (it == index_.end()) throw std::invalid_argument("H5FileWriter: " + what + " of " + path + ", which does not exist");
    return objects_[it->second];
}

void H5FileWriter::create_group(const std::string& path) { add_object(path, true); }

void H5FileWriter::dataset(const std::string& path, const std::vector<int64_t>& shape, Bytes type, const void* data,
                           size_t element_size) {
    const uint64_t n = elements(shape, path);
    Object& o = objects_[add_object(path, false)];
    o.type = std::move(type);
    o.space = dataspace(shape);
    o.data_size = n * element_size;
    o.data_address = n ? out_.size() : kUndefined;
    const auto* p = static_cast<const uint8_t*>(data);
    // Little-endian in the file: the values as they are on little-endian machines (the only kind
    // the project builds for: x86-64, arm64, wasm).
    out_.insert(out_.end(), p, p + o.data_size);
}

void H5FileWriter::write_float(const std::string& p, const std::vector<int64_t>& s, const float* d) {
    dataset(p, s, floating_point(4), d, 4);
}
void H5FileWriter::write_double(const std::string& p, const std::vector<int64_t>& s, const double* d) {
    dataset(p, s, floating_point(8), d, 8);
}
void H5FileWriter::write_int32(const std::string& p, const std::vector<int64_t>& s, const int32_t* d) {
    dataset(p, s, fixed_point(4, true), d, 4);
}
void H5FileWriter::write_int64(const std::string& p, const std::vector<int64_t>& s, const int64_t* d) {
    dataset(p, s, fixed_point(8, true), d, 8);
}
void H5FileWriter::write_bool(const std::string& p, const std::vector<int64_t>& s, const uint8_t* d) {
    const uint64_t n = elements(s, p);
    for (uint64_t i = 0; i < n; ++i)
        if (d[i] > 1) throw std::invalid_argument("H5FileWriter: " + p + " holds a bool other than 0 or 1");
    dataset(p, s, h5py_bool(), d, 1);
}

void H5FileWriter::write_strings(const std::string& path, const std::vector<std::string>& values) {
    const Bytes refs = heap_strings(values);
    dataset(path, {int64_t(values.size())}, vlen_utf8(), refs.data(), 16);
}

std::vector<uint8_t> H5FileWriter::heap_strings(const std::vector<std::string>& values) {
    Bytes refs;
    refs.reserve(values.size() * 16);
    size_t start = 0;
    uint32_t next = 0;  // 0: no collection open
    auto close = [&] {
        const uint64_t used = out_.size() - start, size = std::max(used, kHeapMinSize);
        // The rest is free space: object 0, its size counting its own header; less than a header's
        // 16 bytes is free space without one (libhdf5's H5HG reader).
        if (size - used >= 16) {
            put(out_, 0, 2);
            put(out_, 0, 2);
            put(out_, 0, 4);
            put(out_, size - used, 8);
        }
        out_.resize(start + size, 0);
        put_at(out_, start + 8, size, 8);
        next = 0;
    };
    for (const std::string& v : values) {
        if (next && (next > kHeapMaxObjects || out_.size() - start + 16 + v.size() > kHeapTarget)) close();
        if (!next) {
            out_.resize((out_.size() + 7) / 8 * 8, 0);  // objects are padded to 8 bytes from here
            start = out_.size();
            out_.insert(out_.end(), {'G', 'C', 'O', 'L', 1, 0, 0, 0});
            put(out_, 0, 8);  // collection size, set by close()
            next = 1;
        }
        put(out_, next, 2);  // heap object index
        put(out_, 0, 2);     // reference count (libhdf5 writes 0 for variable-length data)
        put(out_, 0, 4);
        put(out_, v.size(), 8);
        out_.insert(out_.end(), v.begin(), v.end());
        out_.resize((out_.size() + 7) / 8 * 8, 0);
        put(refs, v.size(), 4);
        put(refs, start, 8);
        put(refs, next, 4);
        ++next;
    }
    if (next) close();
    return refs;
}

void H5FileWriter::attribute(const std::string& path, Attribute a) {
    if (finished_) throw std::logic_error("H5FileWriter: attribute after finish()");
    Object& o = object_at(path, "attribute " + a.name);
    for (const auto& have : o.attributes)
        if (have.name == a.name) throw std::invalid_argument("H5FileWriter: attribute " + a.name + " of " + path + " set twice");
    o.attributes.push_back(std::move(a));
}

void H5FileWriter::set_string_attribute(const std::string& path, const std::string& name, const std::string& value) {
    Attribute a{name, vlen_utf8(), dataspace({}), {}, {value}, true};
    attribute(path, std::move(a));
}
void H5FileWriter::set_strings_attribute(const std::string& path, const std::string& name,
                                         const std::vector<std::string>& values) {
    Attribute a{name, vlen_utf8(), dataspace({int64_t(values.size())}), {}, values, true};
    attribute(path, std::move(a));
}
void H5FileWriter::set_int64s_attribute(const std::string& path, const std::string& name,
                                        const std::vector<int64_t>& values) {
    Attribute a{name, fixed_point(8, true), dataspace({int64_t(values.size())}), {}, {}, false};
    for (int64_t v : values) put(a.data, uint64_t(v), 8);
    attribute(path, std::move(a));
}
void H5FileWriter::set_bool_attribute(const std::string& path, const std::string& name, bool value) {
    Attribute a{name, h5py_bool(), dataspace({}), {uint8_t(value ? 1 : 0)}, {}, false};
    attribute(path, std::move(a));
}

std::vector<uint8_t> H5FileWriter::header(const Object& o) const {
    Bytes m;  // the messages of chunk 0
    if (o.group) {
        Bytes linfo{0, 0};  // no creation order: links compact, in this header
        put(linfo, kUndefined, 8);
        put(linfo, kUndefined, 8);
        message(m, kLinkInfo, linfo);
        message(m, kGroupInfo, {0, 0});
        for (const auto& [leaf, child] : o.links) {
            const bool wide = leaf.size() > 255;
            Bytes l{1, uint8_t(0x10 | (wide ? 1 : 0)), 1};  // version 1, charset present: UTF-8
            put(l, leaf.size(), wide ? 2 : 1);
            l.insert(l.end(), leaf.begin(), leaf.end());
            put(l, objects_[child].address, 8);
            message(m, kLink, l);
        }
    } else {
        message(m, kDataspace, o.space);
        message(m, kDatatype, o.type, 0x01);  // constant
        Bytes layout{3, 1};                   // version 3, contiguous
        put(layout, o.data_address, 8);
        put(layout, o.data_size, 8);
        message(m, kLayout, layout);
    }
    for (const Attribute& a : o.attributes) {
        Bytes b{3, 0};  // version 3
        put(b, a.name.size() + 1, 2);
        put(b, a.type.size(), 2);
        put(b, a.space.size(), 2);
        b.push_back(1);  // name in UTF-8
        b.insert(b.end(), a.name.begin(), a.name.end());
        b.push_back(0);
        append(b, a.type);
        append(b, a.space);
        append(b, a.data);
        message(m, kAttribute, b);
    }
    Bytes h{'O', 'H', 'D', 'R', 2, 0x02};  // version 2, 4-byte chunk size, no times
    put(h, m.size(), 4);
    append(h, m);
    put(h, lookup3(h.data(), h.size()), 4);
    return h;
}

std::vector<uint8_t> H5FileWriter::finish() {
    if (finished_) throw std::logic_error("H5FileWriter: finish() twice");
    if (objects_.empty() || !objects_[0].group) throw std::invalid_argument("H5FileWriter: no root group");
    finished_ = true;
    for (Object& o : objects_)
        for (Attribute& a : o.attributes)
            if (a.is_strings) a.data = heap_strings(a.strings);
    // Header sizes do not depend on the addresses they hold: place them all, then encode.
    uint64_t at = out_.size();
    for (Object& o : objects_) {
        o.address = at;
        at += header(o).size();
    }
    for (const Object& o : objects_) append(out_, header(o));
    Bytes sb{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 2, 8, 8, 0};  // version 2, 8-byte offsets and lengths
    put(sb, 0, 8);                  // base address
    put(sb, kUndefined, 8);         // no superblock extension
    put(sb, out_.size(), 8);        // end of file
    put(sb, objects_[0].address, 8);
    put(sb, lookup3(sb.data(), sb.size()), 4);
    std::copy(sb.begin(), sb.end(), out_.begin());
    objects_.clear();
    index_.clear();
    return std::move(out_);
}

}  // namespace scpt::io
