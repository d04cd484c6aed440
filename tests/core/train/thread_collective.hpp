// A train::Collective over threads of one process, for testing data-parallel pre-training without
// mpirun: rank r runs on thread r; sums add the ranks' values in rank order (as one fixed
// reduction tree would), so every rank gets the same bits.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/train/collective.hpp"

namespace scpt::test {

class ThreadGroup {
public:
    explicit ThreadGroup(int size) : floats_(size_t(size)), doubles_(size_t(size)), strings_(size_t(size)), size_(size) {}
    int size() const { return size_; }

    void barrier() {
        std::unique_lock<std::mutex> lock(mu_);
        const long gen = generation_;
        if (++arrived_ == size_) {
            arrived_ = 0;
            ++generation_;
            cv_.notify_all();
        } else {
            cv_.wait(lock, [&] { return generation_ != gen; });
        }
    }

    template <class T>
    void sum(int rank, T* data, int64_t n, std::vector<T*>& slots, std::vector<T>& result) {
        slots[size_t(rank)] = data;
        barrier();
        if (rank == 0) {
            result.assign(data, data + n);
            for (int r = 1; r < size_; ++r)
                for (int64_t i = 0; i < n; ++i) result[size_t(i)] += slots[size_t(r)][i];
        }
        barrier();
        std::copy(result.begin(), result.end(), data);
        barrier();
    }

    std::vector<float*> floats_;
    std::vector<double*> doubles_;
    std::vector<float> float_sum_;
    std::vector<double> double_sum_;
    std::vector<std::string> strings_;

private:
    int size_;
    std::mutex mu_;
    std::condition_variable cv_;
    int arrived_ = 0;
    long generation_ = 0;
};

class ThreadCollective final : public train::Collective {
public:
    ThreadCollective(ThreadGroup& g, int rank) : g_(g), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return g_.size(); }
    void sum(float* d, int64_t n) override { g_.sum(rank_, d, n, g_.floats_, g_.float_sum_); }
    void sum(double* d, int64_t n) override { g_.sum(rank_, d, n, g_.doubles_, g_.double_sum_); }
    std::vector<std::string> allgather(const std::string& mine) override {
        g_.strings_[size_t(rank_)] = mine;
        g_.barrier();
        std::vector<std::string> all = g_.strings_;
        g_.barrier();
        return all;
    }

private:
    ThreadGroup& g_;
    int rank_;
};

// Runs body(comm) on `ranks` threads; rethrows the first exception (after all threads ended).
inline void run_ranks(int ranks, const std::function<void(train::Collective&)>& body) {
    ThreadGroup g(ranks);
    std::vector<std::thread> threads;
    std::vector<std::exception_ptr> errors(static_cast<size_t>(ranks));
    for (int r = 0; r < ranks; ++r)
        threads.emplace_back([&, r] {
            ThreadCollective c(g, r);
            try {
                body(c);
            } catch (...) {
                errors[size_t(r)] = std::current_exception();
            }
        });
    for (auto& t : threads) t.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace scpt::test
