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

// Relative speed of each thread (mean 1) for parallel_for_balanced, learned separately for each
// kind of work: one ratio for all matrices fitted none of them (fp32 decode, 2 threads: the
// first thread finished the LM head 18% after the second, q/k/v 23% before it). Slots are
// claimed by key on first use; relaxed atomics are enough for a hint.
struct SpeedSlot {
    std::atomic<uint64_t> key{0};           // 0: free
    std::atomic<double> speed[kMaxThreads];  // 0: not measured yet, taken as 1
};
constexpr int kSpeedSlots = 64;  // kinds of work tracked; a decode step has ~5 matrix shapes
SpeedSlot g_speed[kSpeedSlots];

// The slot learning `key` for `threads` threads; when all are taken, kinds share the last one.
SpeedSlot& speed_slot(uint64_t key, int threads) {
    // Never 0 (free), and different for each thread count, whose speeds do not carry over.
    const uint64_t k = ((key * 0x9E3779B97F4A7C15ull) ^ uint64_t(threads)) | 1;
    for (int probe = 0; probe < kSpeedSlots; ++probe) {
        SpeedSlot& slot = g_speed[(k + probe) % kSpeedSlots];
        uint64_t seen = slot.key.load(std::memory_order_relaxed);
        if (seen == k) return slot;
        if (seen == 0 && (slot.key.compare_exchange_strong(seen, k) || seen == k)) return slot;
    }
    return g_speed[kSpeedSlots - 1];
}

// Weight of each new measurement in the running estimate: ~20 regions to follow a change,
// little enough to ride out one preempted region.
constexpr double kSpeedSmoothing = 0.05;

// The rows of one parallel_for_balanced call not yet taken from thread t's share, [front,
// back) relative to the call's begin, in one word: the owner takes chunks from the front and a
// thread that has run out takes half of what is left from the back, each by compare-exchange,
// so no row is taken twice. One cache line each: the owner's updates stay local to its core
// until another thread comes to take from it.
struct alignas(64) Share {
    std::atomic<uint64_t> rows;
};

uint64_t pack(int64_t front, int64_t back) { return uint64_t(back) << 32 | uint64_t(front); }
int64_t front_of(uint64_t rows) { return int64_t(rows & 0xffffffffu); }
int64_t back_of(uint64_t rows) { return int64_t(rows >> 32); }

// Shares, chunks and stolen halves end on multiples of this many rows where they can: the
// GEMV kernels read four or eight rows side by side, and a boundary elsewhere leaves them a
// slower tail.
constexpr int64_t kRowAlign = 16;
int64_t align_rows(int64_t rows) { return (rows + kRowAlign - 1) / kRowAlign * kRowAlign; }

// A thread's first chunk is its whole share but this fraction, which it then takes in halves
// and which is what the other threads can take from it. The learned split is right on average,
// so one long kernel call does most of the work; the tail absorbs a region's own noise. Equal
// shares taken a quarter at a time cost int4 decode ~3% (more, shorter kernel calls).
constexpr int64_t kTailFraction = 8;

// The smallest chunk is this fraction of the grain: a grain is what is worth a thread of its
// own, a chunk only has to be worth a kernel call and a compare-exchange.
constexpr int64_t kMinChunksPerGrain = 4;

// Moves the back half of the largest share other than `self`'s (all of it when small) into
// `self`'s, which is empty. False when every other share is empty.
bool steal_half(Share* shares, int threads, int self, int64_t min_chunk) {
    for (;;) {
        int victim = -1;
        int64_t most = 0;
        uint64_t seen = 0;
        for (int t = 0; t < threads; ++t) {
            const uint64_t r = shares[t].rows.load(std::memory_order_acquire);
            if (t != self && back_of(r) - front_of(r) > most) {
                victim = t;
                most = back_of(r) - front_of(r);
                seen = r;
            }
        }
        if (victim < 0) return false;
        const int64_t f = front_of(seen), b = back_of(seen);
        int64_t cut = f + align_rows(most / 2);
        if (most <= min_chunk || cut >= b) cut = f;
        if (shares[victim].rows.compare_exchange_strong(seen, pack(f, cut),
                                                        std::memory_order_acq_rel)) {
            shares[self].rows.store(pack(cut, b), std::memory_order_release);
            return true;
        }
    }
}

// Thread `self`'s part of a parallel_for_balanced call: its own share (see kTailFraction),
// then halves stolen from the others until every share is empty. Returns the rows it ran.
int64_t work_shares(Share* shares, int threads, int self, int64_t begin, int64_t min_chunk,
                    const std::function<void(int64_t, int64_t)>& fn) {
    int64_t done = 0;
    bool first = true;
    do {
        uint64_t rows = shares[self].rows.load(std::memory_order_acquire);
        while (front_of(rows) < back_of(rows)) {
            const int64_t f = front_of(rows), left = back_of(rows) - f;
            const int64_t want = first ? left - align_rows(left / kTailFraction) : align_rows(left / 2);
            const int64_t take = std::min(left, std::max(min_chunk, want));
            if (shares[self].rows.compare_exchange_weak(rows, pack(f + take, back_of(rows)),
                                                        std::memory_order_acq_rel)) {
                first = false;
                fn(begin + f, begin + f + take);
                done += take;
                rows = shares[self].rows.load(std::memory_order_acquire);
            }
        }
        first = false;  // stolen rows are all tail
    } while (steal_half(shares, threads, self, min_chunk));
    return done;
}

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

void parallel_for_balanced(int64_t begin, int64_t end, int64_t grain, uint64_t key,
                           const std::function<void(int64_t, int64_t)>& fn) {
    const int threads = available_threads();
    if (grain < 1) grain = 1;
    // Shares pack their bounds into 32 bits each.
    if (threads == 1 || threads > kMaxThreads || (end - begin) / grain < threads ||
        end - begin >= (int64_t(1) << 31)) {
        parallel_for(begin, end, grain, fn);
        return;
    }
    SpeedSlot& slot = speed_slot(key, threads);
    double speed[kMaxThreads], total = 0;
    for (int t = 0; t < threads; ++t) {
        const double s = slot.speed[t].load(std::memory_order_relaxed);
        total += speed[t] = s > 0 ? s : 1.0;
    }
    // Share t starts as rows in proportion to speed[t].
    Share shares[kMaxThreads];
    const int64_t n = end - begin;
    double sum = 0;
    int64_t front = 0;
    for (int t = 0; t < threads; ++t) {
        sum += speed[t];
        const int64_t back = t + 1 == threads ? n : std::min(n, align_rows(int64_t(n * sum / total)));
        shares[t].rows.store(pack(front, back), std::memory_order_relaxed);
        front = back;
    }
    const int64_t min_chunk = align_rows(std::max<int64_t>(1, grain / kMinChunksPerGrain));
    // A thread's time runs from the region's start to its last row, so that a thread that
    // starts late counts as slower: the join waits for the last thread to finish.
    double seconds[kMaxThreads] = {};
    int64_t done[kMaxThreads] = {};
    const auto start = std::chrono::steady_clock::now();
    run_indexed(threads, [&](int i) {
        done[i] = work_shares(shares, threads, i, begin, min_chunk, fn);
        seconds[i] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    });
    // Rows per second of each thread, relative to their mean, into the running estimate.
    double rate[kMaxThreads], mean = 0;
    for (int t = 0; t < threads; ++t) {
        if (seconds[t] <= 0 || done[t] <= 0) return;  // nothing to learn from
        mean += rate[t] = double(done[t]) / seconds[t];
    }
    mean /= threads;
    for (int t = 0; t < threads; ++t) {
        const double s = (1 - kSpeedSmoothing) * speed[t] + kSpeedSmoothing * rate[t] / mean;
        slot.speed[t].store(std::clamp(s, 0.5, 2.0), std::memory_order_relaxed);
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
