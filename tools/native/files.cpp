#include "tools/native/files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/util/error.hpp"

namespace scpt::native {

std::string read_file(const std::string& path) {
    if (is_directory(path)) throw input_error(path, "is a folder, expected a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path, std::string("cannot be opened (") + std::strerror(errno) + ")");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw input_error(path, "could not be read to the end");
    return std::move(ss).str();
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

std::string base_name(const std::string& path) {
    std::string p = path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    size_t s = p.find_last_of('/');
    return s == std::string::npos ? p : p.substr(s + 1);
}

static std::string temp_name_for(const std::string& path) {
    return path + ".tmp." + std::to_string(::getpid());
}

void write_file_atomic(const std::string& path, const std::string& bytes) {
    AtomicFile f(path);
    f.write(bytes);
    f.commit();
}

AtomicFile::AtomicFile(std::string path) : path_(std::move(path)), temp_(temp_name_for(path_)) {
    file_ = std::fopen(temp_.c_str(), "wb");
    if (!file_) throw input_error(path_, std::string("cannot be written (") + std::strerror(errno) + ")");
}

AtomicFile::~AtomicFile() {
    if (file_) std::fclose(static_cast<FILE*>(file_));
    if (!committed_) std::remove(temp_.c_str());
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
extern "C" void on_interrupt(int sig) {
    if (g_interrupted.exchange(true)) {
        std::signal(sig, SIG_DFL);
        std::raise(sig);
    }
}
}  // namespace

const std::atomic<bool>* install_interrupt_flag() {
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);
    return &g_interrupted;
}

}  // namespace scpt::native
