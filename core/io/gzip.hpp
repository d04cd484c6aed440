// gzip decompression of bytes already in memory or arriving in chunks. Natively zlib does the
// work (SCPT_HAVE_ZLIB); the wasm module has no zlib because the browser gunzips with
// DecompressionStream before the bytes reach the core, so there these functions refuse clearly.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace scpt::io {

// True when bytes start with the gzip magic number (1f 8b).
bool is_gzip(std::string_view bytes);

// Streaming inflate: feed compressed chunks, receive decompressed pieces (at most 256 KiB each).
// Concatenated gzip members (bgzip, `cat a.gz b.gz`) are read as one stream.
class GzipInflater {
public:
    using Sink = std::function<void(std::string_view)>;
    // `what` names the input in messages; more than max_output decompressed bytes is refused.
    GzipInflater(std::string what, int64_t max_output);
    ~GzipInflater();
    GzipInflater(const GzipInflater&) = delete;
    GzipInflater& operator=(const GzipInflater&) = delete;

    void feed(std::string_view compressed, const Sink& sink);
    // Throws InputError when the stream stopped before its end marker (a file cut short).
    void finish();
    int64_t total_out() const { return total_out_; }

private:
    struct State;
    std::unique_ptr<State> s_;
    std::string what_;
    // Read by the zlib inflater only (the wasm build has none: the browser decompresses).
    [[maybe_unused]] int64_t max_output_;
    int64_t total_out_ = 0;
};

// Inflates a whole gzip buffer; throws InputError naming `what` on corrupt or cut input.
std::string gunzip(std::string_view bytes, const std::string& what, int64_t max_output);

// Inflates raw deflate data (a zip member) that must decompress to exactly `expected_size` bytes;
// throws InputError naming `what` on corrupt, cut or mis-sized data. Natively only (zlib).
std::string inflate_raw(std::string_view bytes, const std::string& what, int64_t expected_size);

// The decompressed bytes of `bytes` when it is gzip, else an empty optional-like flag:
// returns true and fills `out` when it inflated; false (and leaves out alone) otherwise.
bool gunzip_if_gzip(std::string_view bytes, const std::string& what, int64_t max_output, std::string& out);

}  // namespace scpt::io

namespace scpt::io {
// Up to `max_out` decompressed bytes from the start of a gzip buffer (for sniffing a format);
// corrupt or cut data just ends the prefix early.
std::string gunzip_prefix(std::string_view bytes, size_t max_out);
}  // namespace scpt::io
