#include "tools/native/files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/util/error.hpp"

namespace scpt::native {

std::string read_file(const std::string& path) {
    if (is_directory(path)) throw input_error(path, "is a folder, expected a file");
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw input_error(path, std::string("cannot be opened (") + std::strerror(errno) + ")");
    std::unique_ptr<FILE, int (*)(FILE*)> closer(f, std::fclose);
    // One buffer of the file's size when it has one (a stringstream would hold the bytes twice);
    // pipes and FIFOs report no size and are read in pieces.
    std::string out;
    struct stat st;
    if (::fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) out.reserve(size_t(st.st_size));
    char buf[1 << 16];
    for (;;) {
        size_t n = std::fread(buf, 1, sizeof buf, f);
        out.append(buf, n);
        if (n < sizeof buf) break;
    }
    if (std::ferror(f)) throw input_error(path, std::string("could not be read to the end (") + std::strerror(errno) + ")");
    return out;
}

bool is_directory(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

std::string join_path(const std::string& dir, const std::string& name) {
    if (dir.empty()) return name;
    return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string find_in(const std::string& dir, const std::string& name) {
    for (const std::string& n : {name, name + ".gz"}) {
        std::string p = join_path(dir, n);
        if (exists(p) && !is_directory(p)) return p;
    }
    return "";
}

std::string base_name(const std::string& path) {
    std::string p = path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    size_t s = p.find_last_of('/');
    return s == std::string::npos ? p : p.substr(s + 1);
}

static std::string temp_name_for(const std::string& path) {
    return path + ".tmp." + std::to_string(::getpid());
}

namespace {
// Temporary files being written, for the signal handler: a second Ctrl-C ends the process at once,
// and it must not leave "out.tsv.tmp.1234" behind. Fixed slots, because a handler may only call
// async-signal-safe functions (unlink), never allocate.
constexpr int kSlots = 16;
char g_temp_paths[kSlots][4096];
std::atomic<bool> g_temp_used[kSlots];

int register_temp(const std::string& p) {
    if (p.size() >= sizeof g_temp_paths[0]) return -1;
    for (int i = 0; i < kSlots; ++i) {
        bool expected = false;
        if (g_temp_used[i].compare_exchange_strong(expected, true)) {
            std::memcpy(g_temp_paths[i], p.c_str(), p.size() + 1);
            return i;
        }
    }
    return -1;  // more than 16 outputs at once: still atomic, just not cleaned up by a second Ctrl-C
}

void unregister_temp(int slot) {
    if (slot >= 0) g_temp_used[slot].store(false);
}
}  // namespace

void write_file_atomic(const std::string& path, const std::string& bytes) {
    AtomicFile f(path);
    f.write(bytes);
    f.commit();
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), temp_(temp_name_for(path_)) {
    slot_ = register_temp(temp_);
    file_ = std::fopen(temp_.c_str(), "wb");
    if (!file_) {
        unregister_temp(slot_);
        throw input_error(path_, std::string("cannot be written (") + std::strerror(errno) + ")");
    }
}

AtomicFile::~AtomicFile() {
    if (file_) std::fclose(static_cast<FILE*>(file_));
    if (!committed_) std::remove(temp_.c_str());
    unregister_temp(slot_);
}

void AtomicFile::write(const std::string& s) {
    if (std::fwrite(s.data(), 1, s.size(), static_cast<FILE*>(file_)) != s.size())
        throw input_error(path_, std::string("write failed (") + std::strerror(errno) + ")");
}

void AtomicFile::commit() {
    FILE* f = static_cast<FILE*>(file_);
    file_ = nullptr;
    bool ok = std::fflush(f) == 0;
    ok = (::fsync(fileno(f)) == 0) && ok;
    ok = (std::fclose(f) == 0) && ok;
    if (!ok || std::rename(temp_.c_str(), path_.c_str()) != 0)
        throw input_error(path_, std::string("could not be saved (") + std::strerror(errno) + ")");
    committed_ = true;
}

namespace {
std::atomic<bool> g_interrupted{false};  // process-wide by nature: signals are process-wide

// Only async-signal-safe calls from here on (unlink, write, alarm, _exit, signal, raise).
void remove_temporaries() {
    for (int i = 0; i < kSlots; ++i)
        if (g_temp_used[i].load()) ::unlink(g_temp_paths[i]);
}

// The work did not reach a point where it polls the flag within the grace period: it is stuck
// where it cannot be asked (inside libhdf5 on a crafted file, a blocked read). Leave anyway, as
// a cooperative stop would have: no output, status 130, one line.
extern "C" void on_grace_over(int) {
    remove_temporaries();
    static const char msg[] = "scpt: interrupted; no output was written\n";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    (void)ignored;
    ::_exit(130);
}

extern "C" void on_interrupt(int sig) {
    if (g_interrupted.exchange(true)) {  // the second Ctrl-C: at once
        remove_temporaries();
        std::signal(sig, SIG_DFL);
        std::raise(sig);
        return;
    }
    ::alarm(kInterruptGraceSeconds);
}
}  // namespace

const std::atomic<bool>* install_interrupt_flag() {
    std::signal(SIGALRM, on_grace_over);
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    return &g_interrupted;
}

}  // namespace scpt::native
