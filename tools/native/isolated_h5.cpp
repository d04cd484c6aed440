#include "tools/native/isolated_h5.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <new>

#include "core/util/error.hpp"
#include "core/util/limits.hpp"
#include "tools/native/hdf5_file.hpp"
#include "tools/native/isolated_h5_wire.hpp"
#include "tools/native/under_asan.hpp"

namespace scpt::native {
namespace {

using namespace h5wire;

// ---- the reader process ----

template <typename T, typename Read>
void reply_numbers(Writer& w, const Hdf5File& f, const std::string& path, int64_t first, int64_t count, Read read) {
    int64_t n = Limits::product(count, f.dataset_info(path).row_size());
    if (count < 0 || n < 0 || n > (int64_t(1) << 40) / int64_t(sizeof(T)))
        throw input_error(f.name(), "rows " + std::to_string(first) + "+" + std::to_string(count) + " of " + path + " cannot be read");
    std::vector<T> v(static_cast<size_t>(n));
    (f.*read)(path, first, count, v.data());
    w.i64(n);
    w.b.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

void answer(const Hdf5File& f, const std::string& request, Writer& w) {
    Reader r{request};
    auto op = Op(r.u8());
    std::string path = r.str();
    switch (op) {
        case Op::Exists: w.u8(f.exists(path)); break;
        case Op::IsGroup: w.u8(f.is_group(path)); break;
        case Op::Children: w.strs(f.children(path)); break;
        case Op::Info: {
            io::H5DatasetInfo i = f.dataset_info(path);
            w.u8(uint8_t(i.type));
            w.i64(i.width);
            w.u8(i.variable_string);
            w.i64(i.stored_bytes);
            w.i64(int64_t(i.shape.size()));
            for (int64_t d : i.shape) w.i64(d);
            break;
        }
        case Op::ReadI64: case Op::ReadI32: case Op::ReadF32: case Op::ReadF64: {
            int64_t first = r.i64(), count = r.i64();
            if (op == Op::ReadI64) reply_numbers<int64_t>(w, f, path, first, count, &Hdf5File::read_int64);
            if (op == Op::ReadI32) reply_numbers<int32_t>(w, f, path, first, count, &Hdf5File::read_int32);
            if (op == Op::ReadF32) reply_numbers<float>(w, f, path, first, count, &Hdf5File::read_float);
            if (op == Op::ReadF64) reply_numbers<double>(w, f, path, first, count, &Hdf5File::read_double);
            break;
        }
        case Op::Strings: {
            int64_t first = r.i64(), count = r.i64();
            w.strs(f.read_strings(path, first, count));
            break;
        }
        case Op::HasAttr: w.u8(f.has_attribute(path, r.str())); break;
        case Op::StrAttr: w.strs(f.read_string_attribute(path, r.str())); break;
        case Op::IntAttr: w.i64s(f.read_int_attribute(path, r.str())); break;
        default: throw Error("unknown request");
    }
}

// Runs fn, framing its output after a status byte; exceptions become the status and message.
template <typename Fn>
std::string guarded(Fn fn) {
    Writer w;
    w.u8(uint8_t(Status::Ok));
    try {
        fn(w);
        return w.b;
    } catch (const InputError& e) {
        w.b.clear();
        w.u8(uint8_t(Status::InputError));
        w.str(e.what());
    } catch (const std::bad_alloc&) {
        w.b.clear();
        w.u8(uint8_t(Status::OtherError));
        w.str("needs more memory than reading an HDF5 file is allowed; the file is damaged or declares absurd sizes");
    } catch (const std::exception& e) {
        w.b.clear();
        w.u8(uint8_t(Status::OtherError));
        w.str(e.what());
    }
    return w.b;
}

[[noreturn]] void serve(int fd, const std::string& path, const IsolatedH5Options& o, pid_t parent) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the tool
    if (getppid() != parent) _exit(0);
    signal(SIGINT, SIG_IGN);  // Ctrl-C is the tool's to handle; it kills this reader when it stops
    signal(SIGTERM, SIG_DFL);
    signal(SIGALRM, SIG_DFL);
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 2);  // a dying libhdf5's glibc report is not the user's message
#if !SCPT_UNDER_ASAN
    if (o.memory_bytes > 0) {
        struct rlimit lim = {rlim_t(o.memory_bytes), rlim_t(o.memory_bytes)};
        setrlimit(RLIMIT_AS, &lim);
    }
#else
    (void)o;
#endif
    std::unique_ptr<Hdf5File> file;
    if (!send_frame(fd, guarded([&](Writer&) { file = Hdf5File::open(path); })) || !file) _exit(0);
    for (;;) {
        char head[8];
        if (!recv_all(fd, head, 8)) _exit(0);
        Reader hr{std::string(head, 8)};
        uint64_t n = uint64_t(hr.i64());
        std::string request;
        try {
            request.resize(n);
        } catch (...) {
            _exit(3);
        }
        if (!recv_all(fd, request.data(), n)) _exit(0);
        if (!send_frame(fd, guarded([&](Writer& w) { answer(*file, request, w); }))) _exit(0);
    }
}

// ---- the tool's side ----

class IsolatedH5 : public io::H5Source {
public:
    IsolatedH5(std::string name, pid_t pid, int fd, IsolatedH5Options o)
        : name_(std::move(name)), pid_(pid), fd_(fd), o_(o) {}
    ~IsolatedH5() override { stop(); }

    // The reply to `request` (the body after the Ok status); throws what the reader threw.
    std::string call(const std::string& request) const {
        if (!failure_.empty()) throw input_error(name_, failure_);
        if (!send_frame(fd_, request)) fail_dead();
        return unwrap(receive());
    }

    // The reader's first frame answers the open.
    void opened() const { unwrap(receive()); }

    std::string name() const override { return name_; }
    bool exists(const std::string& p) const override { return flag(Op::Exists, p); }
    bool is_group(const std::string& p) const override { return flag(Op::IsGroup, p); }
    std::vector<std::string> children(const std::string& g) const override {
        std::string rep = call(request(Op::Children, g).b);
        return Reader{rep}.strs();
    }
    io::H5DatasetInfo dataset_info(const std::string& p) const override {
        auto it = info_.find(p);
        if (it != info_.end()) return it->second;
        std::string rep = call(request(Op::Info, p).b);
        Reader r{rep};
        io::H5DatasetInfo i;
        i.type = io::H5Type(r.u8());
        i.width = int(r.i64());
        i.variable_string = r.u8() != 0;
        i.stored_bytes = r.i64();
        int64_t nd = r.i64();
        if (nd < 0 || nd > 32) throw input_error(name_, "malformed reply from the HDF5 reader");
        for (int64_t k = 0; k < nd; ++k) i.shape.push_back(r.i64());
        return info_.emplace(p, i).first->second;
    }
    void read_int64(const std::string& p, int64_t first, int64_t count, int64_t* out) const override {
        numbers(Op::ReadI64, p, first, count, out);
    }
    void read_int32(const std::string& p, int64_t first, int64_t count, int32_t* out) const override {
        numbers(Op::ReadI32, p, first, count, out);
    }
    void read_float(const std::string& p, int64_t first, int64_t count, float* out) const override {
        numbers(Op::ReadF32, p, first, count, out);
    }
    void read_double(const std::string& p, int64_t first, int64_t count, double* out) const override {
        numbers(Op::ReadF64, p, first, count, out);
    }
    std::vector<std::string> read_strings(const std::string& p, int64_t first, int64_t count) const override {
        Writer w = request(Op::Strings, p);
        w.i64(first);
        w.i64(count);
        std::string rep = call(w.b);
        return Reader{rep}.strs();
    }
    bool has_attribute(const std::string& p, const std::string& a) const override {
        Writer w = request(Op::HasAttr, p);
        w.str(a);
        return call(w.b).at(0) != 0;
    }
    std::vector<std::string> read_string_attribute(const std::string& p, const std::string& a) const override {
        Writer w = request(Op::StrAttr, p);
        w.str(a);
        std::string rep = call(w.b);
        return Reader{rep}.strs();
    }
    std::vector<int64_t> read_int_attribute(const std::string& p, const std::string& a) const override {
        Writer w = request(Op::IntAttr, p);
        w.str(a);
        std::string rep = call(w.b);
        return Reader{rep}.i64s();
    }

private:
    static Writer request(Op op, const std::string& path) {
        Writer w;
        w.u8(uint8_t(op));
        w.str(path);
        return w;
    }
    bool flag(Op op, const std::string& p) const { return call(request(op, p).b).at(0) != 0; }

    template <typename T>
    void numbers(Op op, const std::string& p, int64_t first, int64_t count, T* out) const {
        int64_t want = Limits::product(count, dataset_info(p).row_size());
        Writer w = request(op, p);
        w.i64(first);
        w.i64(count);
        std::string rep = call(w.b);
        Reader r{rep};
        int64_t n = r.i64();
        if (n != want || rep.size() - r.at != size_t(n) * sizeof(T))
            throw input_error(name_, "malformed reply from the HDF5 reader for " + p);
        std::memcpy(out, rep.data() + r.at, size_t(n) * sizeof(T));
    }

    std::string unwrap(const std::string& reply) const {
        Reader r{reply};
        auto st = Status(r.u8());
        if (st == Status::Ok) return reply.substr(1);
        std::string msg = r.str();
        if (st == Status::InputError) throw InputError(msg);  // Hdf5File's, already naming the file
        throw input_error(name_, msg);
    }

    // One frame from the reader, waiting at most seconds_per_request; a reader that dies or
    // stops answering is killed and its fate becomes the message of every later call.
    std::string receive() const {
        using clock = std::chrono::steady_clock;
        auto deadline = clock::now() + std::chrono::duration<double>(o_.seconds_per_request);
        std::string buf;
        size_t want = 8;
        bool have_length = false;
        char chunk[1 << 16];
        for (;;) {
            if (o_.cancel && o_.cancel->load()) {
                stop();
                failure_ = "reading was cancelled";
                throw Cancelled();
            }
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
            if (left <= 0) fail_stuck();
            struct pollfd p = {fd_, POLLIN, 0};
            int rc = ::poll(&p, 1, int(std::min<long long>(left, 200)));  // 200 ms: notice Ctrl-C
            if (rc < 0 && errno != EINTR) fail_dead();
            if (rc <= 0) continue;
            ssize_t k = ::recv(fd_, chunk, std::min(sizeof chunk, want - buf.size()), 0);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) fail_dead();
            buf.append(chunk, size_t(k));
            if (buf.size() < want) continue;
            if (have_length) return buf;
            uint64_t n = uint64_t(Reader{buf}.i64());
            if (n > (uint64_t(1) << 41)) fail_dead();
            buf.clear();
            want = size_t(n);
            have_length = true;
            if (want == 0) return buf;
            buf.reserve(want);
        }
    }

    [[noreturn]] void fail_stuck() const {
        stop();
        failure_ = "the HDF5 library stopped responding while reading this file (no answer in " +
                   std::to_string(int(o_.seconds_per_request)) + " s); the file is likely damaged. " + kAdvice;
        throw input_error(name_, failure_);
    }

    [[noreturn]] void fail_dead() const {
        int status = stop(true);
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            failure_ = "reading this file needed more memory than the machine could give (the HDF5 library was "
                       "stopped); the file is damaged or declares absurd sizes. " + std::string(kAdvice);
        else if (WIFSIGNALED(status))
            failure_ = std::string("the HDF5 library crashed reading this file (") + strsignal(WTERMSIG(status)) +
                       "); the file is damaged. " + kAdvice;
        else
            failure_ = "the HDF5 library stopped unexpectedly while reading this file (exit status " +
                       std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "); the file is damaged. " + kAdvice;
        throw input_error(name_, failure_);
    }

    // Ends the reader (it holds nothing worth saving) and returns its wait status. `dying`: its end
    // of the socket closed, so it is exiting on its own; collect it as it is (up to 1 s) so that
    // its own signal is reported rather than ours.
    int stop(bool dying = false) const {
        if (pid_ <= 0) return status_;
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        bool reaped = false;
        for (int k = 0; dying && k < 50 && !reaped; ++k) {
            reaped = waitpid(pid_, &status_, WNOHANG) == pid_;
            if (!reaped) usleep(20000);
        }
        if (!reaped) {
            kill(pid_, SIGKILL);
            while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
            }
        }
        pid_ = -1;
        return status_;
    }

    static constexpr const char* kAdvice =
        "Write it again (e.g. anndata's write_h5ad) or export a 10x folder or a CSV.";

    std::string name_;
    mutable pid_t pid_;
    mutable int fd_;
    mutable int status_ = 0;
    IsolatedH5Options o_;
    mutable std::string failure_;
    mutable std::map<std::string, io::H5DatasetInfo> info_;
};

}  // namespace

std::unique_ptr<io::H5Source> open_isolated_h5(const std::string& path, const IsolatedH5Options& o) {
    if (!(o.seconds_per_request > 0)) throw std::invalid_argument("open_isolated_h5: seconds_per_request must be > 0");
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw input_error(path, std::string("cannot start the HDF5 reader: ") + std::strerror(errno));
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        ::close(sv[0]);
        ::close(sv[1]);
        throw input_error(path, std::string("cannot start the HDF5 reader: ") + std::strerror(e));
    }
    if (pid == 0) {
        ::close(sv[0]);
        serve(sv[1], path, o, parent);
    }
    ::close(sv[1]);
    auto f = std::make_unique<IsolatedH5>(path, pid, sv[0], o);
    f->opened();  // the open: throws what Hdf5File::open threw, or the reader's fate
    return f;
}

}  // namespace scpt::native
