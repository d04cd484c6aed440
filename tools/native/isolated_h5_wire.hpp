// The socket protocol between scpt and its HDF5 reader process (isolated_h5.cpp): frames of a
// little-endian u64 length and a body. A request body is an Op, the object's path and the call's
// arguments; a reply body is a Status, then the result (Ok) or the error's message.
#pragma once
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "core/util/error.hpp"

namespace scpt::native::h5wire {

enum class Op : uint8_t { Exists = 1, IsGroup, Children, Info, ReadI64, ReadI32, ReadF32, ReadF64, Strings, HasAttr, StrAttr, IntAttr };
enum class Status : uint8_t { Ok = 0, InputError = 1, OtherError = 2 };

struct Writer {
    std::string b;
    void u8(uint8_t v) { b.push_back(char(v)); }
    void i64(int64_t v) { for (int k = 0; k < 8; ++k) b.push_back(char(uint64_t(v) >> (8 * k))); }
    void str(const std::string& s) { i64(int64_t(s.size())); b += s; }
    void strs(const std::vector<std::string>& v) { i64(int64_t(v.size())); for (const auto& s : v) str(s); }
    void i64s(const std::vector<int64_t>& v) { i64(int64_t(v.size())); for (int64_t x : v) i64(x); }
};

// Reads what Writer wrote; a short or inconsistent body is the reader's fault, reported as such.
struct Reader {
    const std::string& b;
    size_t at = 0;
    void need(uint64_t n) const {
        if (n > b.size() - at) throw Error("malformed reply from the HDF5 reader");
    }
    uint8_t u8() { need(1); return uint8_t(b[at++]); }
    int64_t i64() {
        need(8);
        uint64_t v = 0;
        for (int k = 0; k < 8; ++k) v |= uint64_t(uint8_t(b[at + k])) << (8 * k);
        at += 8;
        return int64_t(v);
    }
    std::string str() {
        uint64_t n = uint64_t(i64());
        need(n);
        std::string s = b.substr(at, n);
        at += n;
        return s;
    }
    // A count of items that take 8 bytes or more each, checked against what is left.
    uint64_t count() {
        uint64_t n = uint64_t(i64());
        need(n > (b.size() - at) / 8 ? UINT64_MAX : n * 8);
        return n;
    }
    std::vector<std::string> strs() {
        uint64_t n = count();
        std::vector<std::string> v;
        v.reserve(n);
        for (uint64_t k = 0; k < n; ++k) v.push_back(str());
        return v;
    }
    std::vector<int64_t> i64s() {
        std::vector<int64_t> v(count());
        for (auto& x : v) x = i64();
        return v;
    }
};

inline bool send_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        p += k;
        n -= size_t(k);
    }
    return true;
}

inline bool send_frame(int fd, const std::string& body) {
    Writer h;
    h.i64(int64_t(body.size()));
    return send_all(fd, h.b.data(), h.b.size()) && send_all(fd, body.data(), body.size());
}

// Blocking read of exactly n bytes (the reader's side: it has nothing else to do).
inline bool recv_all(int fd, char* p, size_t n) {
    while (n > 0) {
        ssize_t k = ::recv(fd, p, n, 0);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return false;
        p += k;
        n -= size_t(k);
    }
    return true;
}

}  // namespace scpt::native::h5wire
