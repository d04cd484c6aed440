#include "core/io/gzip.hpp"

#include <vector>

#include "core/io/read_failures.hpp"
#include "core/util/error.hpp"

#ifdef SCPT_HAVE_ZLIB
#include <zlib.h>
#endif

namespace scpt::io {

bool is_gzip(std::string_view b) {
    return b.size() >= 2 && uint8_t(b[0]) == 0x1f && uint8_t(b[1]) == 0x8b;
}

#ifdef SCPT_HAVE_ZLIB

struct GzipInflater::State {
    z_stream z{};
    bool in_member = false;  // inside a gzip member (header seen, end marker not yet)
    bool done = false;       // the last member ended and only padding followed
    std::vector<char> out = std::vector<char>(256 * 1024);
};

GzipInflater::GzipInflater(std::string what, int64_t max_output)
    : s_(std::make_unique<State>()), what_(std::move(what)), max_output_(max_output) {
    // 16 + MAX_WBITS: gzip wrapper only (a raw zlib stream is not a .gz file).
    if (inflateInit2(&s_->z, 16 + MAX_WBITS) != Z_OK) throw Error("zlib could not be initialised");
}

GzipInflater::~GzipInflater() { inflateEnd(&s_->z); }

void GzipInflater::feed(std::string_view in, const Sink& sink) {
    z_stream& z = s_->z;
    size_t pos = 0;
    while (pos < in.size()) {
        if (s_->done) return;  // trailing padding after the last member is ignored, as gzip does
        if (!s_->in_member) {
            // A new member must start with the magic; anything else after a member is padding.
            if (uint8_t(in[pos]) != 0x1f) {
                if (total_out_ > 0) { s_->done = true; return; }
                throw input_error(what_, "is not a gzip file (bad header)");
            }
            s_->in_member = true;
        }
        // zlib's avail_in is 32-bit: feed at most 1 GiB at a time.
        size_t take = std::min<size_t>(in.size() - pos, size_t(1) << 30);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos));
        z.avail_in = uInt(take);
        int rc = Z_OK;
        while (z.avail_in > 0 && rc != Z_STREAM_END) {
            z.next_out = reinterpret_cast<Bytef*>(s_->out.data());
            z.avail_out = uInt(s_->out.size());
            rc = inflate(&z, Z_NO_FLUSH);
            if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
                throw input_error(what_, read_failure(ReadFailure::GzipCorrupt, z.msg ? z.msg : ""));
            if (rc == Z_MEM_ERROR) throw std::bad_alloc();
            size_t got = s_->out.size() - z.avail_out;
            if (got) {
                total_out_ += int64_t(got);
                if (total_out_ > max_output_)
                    throw input_error(what_, "decompresses to more than " + std::to_string(max_output_) +
                                                 " bytes, above the limit for one file");
                sink(std::string_view(s_->out.data(), got));
            }
            if (rc == Z_BUF_ERROR && z.avail_in > 0 && got == 0)
                throw input_error(what_, "is corrupt (gzip stream makes no progress)");
        }
        pos += take - z.avail_in;
        if (rc == Z_STREAM_END) {
            s_->in_member = false;
            inflateReset(&z);
        }
    }
}

void GzipInflater::finish() {
    if (s_->in_member)
        throw input_error(what_, read_failure(ReadFailure::GzipCut));
}

std::string inflate_raw(std::string_view in, const std::string& what, int64_t expected_size) {
    struct Stream {
        z_stream z{};
        ~Stream() { inflateEnd(&z); }
    } st;
    z_stream& z = st.z;
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw Error("zlib could not be initialised");  // raw deflate
    std::string out;
    out.reserve(size_t(expected_size));
    std::vector<char> buf(256 * 1024);
    size_t pos = 0;
    for (int rc = Z_OK; rc != Z_STREAM_END;) {
        if (z.avail_in == 0 && pos < in.size()) {
            const size_t take = std::min<size_t>(in.size() - pos, size_t(1) << 30);
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + pos));
            z.avail_in = uInt(take);
            pos += take;
        }
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = uInt(buf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
            throw input_error(what, std::string("is corrupt (deflate data error") + (z.msg ? std::string(": ") + z.msg : std::string()) + ")");
        if (rc == Z_MEM_ERROR) throw std::bad_alloc();
        const size_t got = buf.size() - z.avail_out;
        if (int64_t(out.size() + got) > expected_size)
            throw input_error(what, "is corrupt (it decompresses to more than the " + std::to_string(expected_size) +
                                        " bytes the archive declares)");
        out.append(buf.data(), got);
        if (rc != Z_STREAM_END && z.avail_in == 0 && pos == in.size() && z.avail_out > 0)
            throw input_error(what, "is cut short: its compressed data ends early (the download or copy may be incomplete)");
    }
    if (int64_t(out.size()) != expected_size)
        throw input_error(what, "is corrupt (it decompresses to " + std::to_string(out.size()) + " bytes, the archive declares " +
                                    std::to_string(expected_size) + ")");
    return out;
}

#else  // no zlib (wasm): the browser decompresses before the core sees the bytes

std::string inflate_raw(std::string_view, const std::string& what, int64_t) {
    throw input_error(what, "is deflate-compressed, which this build cannot read: unpack the archive first");
}

struct GzipInflater::State {};

GzipInflater::GzipInflater(std::string what, int64_t max_output) : what_(std::move(what)), max_output_(max_output) {
    throw input_error(what_, "is gzip-compressed, which this build cannot read: decompress it first");
}
GzipInflater::~GzipInflater() = default;
void GzipInflater::feed(std::string_view, const Sink&) {}
void GzipInflater::finish() {}

#endif

std::string gunzip(std::string_view bytes, const std::string& what, int64_t max_output) {
    std::string out;
    GzipInflater inf(what, max_output);
    inf.feed(bytes, [&](std::string_view piece) { out.append(piece); });
    inf.finish();
    return out;
}

bool gunzip_if_gzip(std::string_view bytes, const std::string& what, int64_t max_output, std::string& out) {
    if (!is_gzip(bytes)) return false;
    out = gunzip(bytes, what, max_output);
    return true;
}

}  // namespace scpt::io

namespace scpt::io {
std::string gunzip_prefix(std::string_view bytes, size_t max_out) {
    std::string out;
#ifdef SCPT_HAVE_ZLIB
    try {
        GzipInflater inf("prefix", INT64_MAX);
        for (size_t pos = 0; pos < bytes.size() && out.size() < max_out; pos += 4096)
            inf.feed(bytes.substr(pos, 4096), [&](std::string_view piece) { out.append(piece); });
    } catch (const InputError&) {
    }
#else
    (void)bytes;
#endif
    if (out.size() > max_out) out.resize(max_out);
    return out;
}
}  // namespace scpt::io
