// Little-endian byte writing and bounds-checked reading for the model file (models/FORMAT.md).
// The reader never reads past its view and reports a short read as a corrupt file, naming `what`.
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"

namespace scpt::bytes {

inline bool host_is_little_endian() {
    const uint16_t one = 1;
    unsigned char b;
    std::memcpy(&b, &one, 1);
    return b == 1;
}

class Writer {
public:
    std::string out;

    void u32(uint32_t v) { le(v, 4); }
    void u64(uint64_t v) { le(v, 8); }
    void f64(double v) {
        uint64_t u;
        std::memcpy(&u, &v, 8);
        le(u, 8);
    }
    void str(std::string_view s) {
        u32(uint32_t(s.size()));
        out.append(s.data(), s.size());
    }
    void zeros(size_t n) { out.append(n, '\0'); }
    void pad_to(size_t align) { zeros((align - out.size() % align) % align); }
    // Appends n elements of `size` bytes each in little-endian order.
    void array(const void* data, size_t n, size_t size) {
        const auto* p = static_cast<const char*>(data);
        if (host_is_little_endian() || size == 1) {
            out.append(p, n * size);
            return;
        }
        for (size_t i = 0; i < n; ++i)
            for (size_t b = size; b-- > 0;) out.push_back(p[i * size + b]);
    }
    void put_u64_at(size_t pos, uint64_t v) {
        for (int i = 0; i < 8; ++i) out[pos + size_t(i)] = char((v >> (8 * i)) & 0xff);
    }

private:
    void le(uint64_t v, int n) {
        for (int i = 0; i < n; ++i) out.push_back(char((v >> (8 * i)) & 0xff));
    }
};

inline uint64_t load_le(const char* p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | uint64_t(static_cast<unsigned char>(p[i]));
    return v;
}

// Reads from a view; every read checks the remaining length and throws InputError on a short read.
class Reader {
public:
    Reader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}

    size_t pos() const { return pos_; }
    size_t remaining() const { return data_.size() - pos_; }
    bool done() const { return pos_ == data_.size(); }

    uint32_t u32(const char* field) { return uint32_t(load_le(take(4, field), 4)); }
    uint64_t u64(const char* field) { return load_le(take(8, field), 8); }
    double f64(const char* field) {
        uint64_t u = u64(field);
        double d;
        std::memcpy(&d, &u, 8);
        return d;
    }
    // A length-prefixed string of at most max_len bytes.
    std::string_view str(const char* field, size_t max_len) {
        uint32_t n = u32(field);
        if (n > max_len) fail(std::string(field) + " is " + std::to_string(n) + " bytes long, above " + std::to_string(max_len));
        const char* p = take(n, field);
        return std::string_view(p, n);
    }
    std::string_view view(size_t n, const char* field) { return std::string_view(take(n, field), n); }

    [[noreturn]] void fail(const std::string& message) const {
        throw input_error(what_, message + " (the file is corrupt)");
    }

private:
    const char* take(size_t n, const char* field) {
        if (n > remaining()) fail(std::string(field) + " runs past the end of its section");
        const char* p = data_.data() + pos_;
        pos_ += n;
        return p;
    }
    std::string_view data_;
    std::string what_;
    size_t pos_ = 0;
};

// Copies n little-endian elements of T (4 or 2 or 1 bytes) from `src` into `dst`.
template <class T>
void copy_le(std::vector<T>& dst, std::string_view src) {
    const size_t n = src.size() / sizeof(T);
    dst.resize(n);
    if (host_is_little_endian() || sizeof(T) == 1) {
        if (n) std::memcpy(dst.data(), src.data(), n * sizeof(T));
        return;
    }
    for (size_t i = 0; i < n; ++i) {
        uint64_t v = load_le(src.data() + i * sizeof(T), int(sizeof(T)));
        if constexpr (sizeof(T) == 4) {
            uint32_t u = uint32_t(v);
            std::memcpy(&dst[i], &u, 4);
        } else {
            dst[i] = T(v);  // 2-byte integers
        }
    }
}

}  // namespace scpt::bytes
