#include "common/parallel.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>

// ATen's parallel_for falls back to running inline when its OpenMP region is not compiled in,
// and nothing else would notice: every "2-thread" figure would then be a 1-thread figure.
#ifndef _OPENMP
#error "common/parallel.cpp must be compiled with OpenMP (see core/CMakeLists.txt)"
#endif

namespace qs {

namespace {

// OpenBLAS is reached through libtorch's BLAS dependency; its symbols are looked up at run time
// so that core does not link a particular BLAS itself.
void set_openblas_threads(int n) {
    using SetFn = void (*)(int);
    static SetFn set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (set) set(n);
}

constexpr int kMaxThreads = 64;  // threads run_as_team and parallel_for_balanced handle

// Tells the core it is in a spin-wait loop (x86's `pause`: the sibling hyperthread gets the
// core's resources and leaving the loop is not penalised as a memory-order mis-speculation).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// The threads of one run_as_team call. Thread 0 is the caller; the others sit in serve() and
// run task(i) each time run() publishes a task (a new epoch), until stop().
class Team {
public:
    void set_threads(int threads) { threads_ = threads; }
    int threads() const { return threads_; }

    // Runs task(i) on thread i for every i in [0, threads()) and returns when all have.
    void run(const std::function<void(int)>& task) {
        task_ = &task;
        pending_.store(threads_ - 1, std::memory_order_relaxed);
        epoch_.fetch_add(1, std::memory_order_release);
        run_task(0);
        while (pending_.load(std::memory_order_acquire) != 0) cpu_relax();
        for (int i = 0; i < threads_; ++i)
            if (errors_[i]) std::rethrow_exception(std::exchange(errors_[i], nullptr));
    }

    void serve(int i) {
        uint64_t seen = 0;
        for (;;) {
            uint64_t epoch;
            while ((epoch = epoch_.load(std::memory_order_acquire)) == seen) cpu_relax();
            seen = epoch;
            if (stopped_.load(std::memory_order_relaxed)) return;
            run_task(i);
            pending_.fetch_sub(1, std::memory_order_release);
        }
    }

    void stop() {
        stopped_.store(true, std::memory_order_relaxed);
        epoch_.fetch_add(1, std::memory_order_release);
    }

private:
    void run_task(int i);

    int threads_ = 1;
    const std::function<void(int)>* task_ = nullptr;
    std::exception_ptr errors_[kMaxThreads];
    // Separate cache lines: the caller writes epoch_, the workers pending_.
    alignas(64) std::atomic<uint64_t> epoch_{0};
    alignas(64) std::atomic<int> pending_{0};
    std::atomic<bool> stopped_{false};
};

// The team whose caller this thread is, while it runs fn outside any task: parallel regions
// opened then go to the team. Tasks themselves run their nested regions inline.
thread_local Team* t_team = nullptr;

void Team::run_task(int i) {
    Team* const outer = std::exchange(t_team, nullptr);
    try {
        (*task_)(i);
    } catch (...) {
        errors_[i] = std::current_exception();
    }
    t_team = outer;
}

// Runs task(i) for i in [0, threads) on as many threads, i = 0 on the caller: through the
// caller's team if it has one, else through ATen's pool (which gives thread t the index t).
void run_indexed(int threads, const std::function<void(int)>& task) {
    if (t_team) {
        t_team->run(task);
        return;
    }
    at::parallel_for(0, threads, 1, [&](int64_t i0, int64_t i1) {
        for (int64_t i = i0; i < i1; ++i) task(int(i));
    });
}

// Threads a region may use: the team's, ATen's pool's, or 1 inside a region already.
int available_threads() {
    if (t_team) return t_team->threads();
    return at::in_parallel_region() ? 1 : at::get_num_threads();
}

// Relative speed of each thread (mean 1) for parallel_for_balanced, one entry per OpenMP
// thread number. Updated by whichever call finishes; relaxed atomics are enough for a hint.
std::atomic<double> g_speed[kMaxThreads];
std::atomic<int> g_speed_threads{0};  // the thread count g_speed was measured for

// Weight of each new measurement in the running estimate: ~20 regions to follow a change
// (a decode step has ~100), little enough to ride out one preempted region.
constexpr double kSpeedSmoothing = 0.05;

}  // namespace

void set_num_threads(int n) {
    if (n < 1) n = 1;
    at::set_num_threads(n);
    set_openblas_threads(1);
}

int num_threads() { return at::get_num_threads(); }

void parallel_for(int64_t begin, int64_t end, int64_t grain,
                  const std::function<void(int64_t, int64_t)>& fn) {
    if (end <= begin) return;
    if (grain < 1) grain = 1;
    const int threads = available_threads();
    if (end - begin <= grain || threads == 1) {
        fn(begin, end);
        return;
    }
    if (!t_team) {
        at::parallel_for(begin, end, grain, fn);
        return;
    }
    // at::parallel_for's split: as many equal chunks as threads, each at least grain long.
    const int64_t chunks = std::min<int64_t>(threads, (end - begin + grain - 1) / grain);
    const int64_t size = (end - begin + chunks - 1) / chunks;
    t_team->run([&](int i) {
        const int64_t b = begin + i * size;
        if (b < end) fn(b, std::min(end, b + size));
    });
}

void parallel_for_balanced(int64_t begin, int64_t end, int64_t grain,
                           const std::function<void(int64_t, int64_t)>& fn) {
    const int threads = available_threads();
    if (grain < 1) grain = 1;
    if (threads == 1 || threads > kMaxThreads || (end - begin) / grain < threads) {
        parallel_for(begin, end, grain, fn);
        return;
    }
    if (g_speed_threads.exchange(threads) != threads)
        for (int t = 0; t < threads; ++t) g_speed[t] = 1.0;
    double speed[kMaxThreads], total = 0;
    for (int t = 0; t < threads; ++t) total += speed[t] = g_speed[t].load(std::memory_order_relaxed);
    // Chunk t holds rows [bound[t], bound[t + 1]), in proportion to speed[t].
    int64_t bound[kMaxThreads + 1];
    double sum = 0;
    bound[0] = begin;
    for (int t = 0; t < threads; ++t) {
        sum += speed[t];
        bound[t + 1] = t + 1 == threads ? end : begin + int64_t(double(end - begin) * sum / total);
    }
    double seconds[kMaxThreads] = {};
    run_indexed(threads, [&](int i) {
        const auto start = std::chrono::steady_clock::now();
        if (bound[i] < bound[i + 1]) fn(bound[i], bound[i + 1]);
        seconds[i] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    });
    // Rows per second of each thread, relative to their mean, into the running estimate.
    double rate[kMaxThreads], mean = 0;
    for (int t = 0; t < threads; ++t) {
        if (seconds[t] <= 0 || bound[t + 1] <= bound[t]) return;  // nothing to learn from
        mean += rate[t] = double(bound[t + 1] - bound[t]) / seconds[t];
    }
    mean /= threads;
    for (int t = 0; t < threads; ++t) {
        const double s = (1 - kSpeedSmoothing) * speed[t] + kSpeedSmoothing * rate[t] / mean;
        g_speed[t].store(std::clamp(s, 0.5, 2.0), std::memory_order_relaxed);
    }
}

void run_as_team(const std::function<void()>& fn) {
    const int threads = at::get_num_threads();
    if (threads == 1 || threads > kMaxThreads || t_team || at::in_parallel_region()) {
        fn();
        return;
    }
    Team team;
    std::exception_ptr error;
#pragma omp parallel num_threads(threads)
    {
        if (omp_get_thread_num() == 0) {
            // OpenMP may grant fewer threads than asked: the team is the threads it got.
            team.set_threads(omp_get_num_threads());
            t_team = &team;
            try {
                fn();
            } catch (...) {
                error = std::current_exception();
            }
            t_team = nullptr;
            team.stop();
        } else {
            team.serve(omp_get_thread_num());
        }
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace qs
