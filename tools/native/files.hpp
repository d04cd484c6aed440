// Native file access for the tools: whole-file reads, atomic writes (temporary file, then rename,
// so a crash or Ctrl-C never leaves a half-written output), and the Ctrl-C flag.
#pragma once
#include <atomic>
#include <string>

namespace scpt::native {

// Reads a whole file; throws InputError naming the path when it cannot be read.
std::string read_file(const std::string& path);

bool is_directory(const std::string& path);
bool exists(const std::string& path);
std::string join_path(const std::string& dir, const std::string& name);
// The first of dir/name and dir/name.gz that is a file, or "" (10x files come plain or gzipped).
std::string find_in(const std::string& dir, const std::string& name);
std::string base_name(const std::string& path);

// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
void write_file_atomic(const std::string& path, const std::string& bytes);

// Collects output and lands it at `path` only when commit() is called; otherwise the temporary
// file is removed (also when an exception unwinds past it, and when a second Ctrl-C ends the
// process at once: the interrupt handler unlinks the temporary files being written).
class AtomicFile {
public:
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    void write(const std::string& s);
    void commit();
    const std::string& temp_path() const { return temp_; }

private:
    std::string path_, temp_;
    void* file_ = nullptr;  // FILE*
    bool committed_ = false;
    int slot_ = -1;  // in the interrupt handler's list of temporary files
};

// Installs SIGINT/SIGTERM handlers that set the returned flag, which the work polls to stop
// cleanly (Cancelled). When it has not stopped kInterruptGraceSeconds later (stuck where it does not
// poll, e.g. inside libhdf5 on a crafted file), or at a second Ctrl-C, the process ends anyway,
// removing the temporary files of unfinished outputs. Uses SIGALRM.
constexpr unsigned kInterruptGraceSeconds = 3;
const std::atomic<bool>* install_interrupt_flag();

}  // namespace scpt::native
