// parallel_for really runs on the threads set_num_threads asks for. It once ran every chunk
// inline (ATen's OpenMP region was not compiled in), so every 2-thread figure the app reported
// had been measured on one thread. parallel_for_balanced covers its range the same way and
// moves rows to the thread that is faster at each kind of work.
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/parallel.h"

// libgomp's, declared here rather than through <omp.h> so the test builds without -fopenmp.
extern "C" int omp_in_parallel(void);

namespace {

struct Chunks {
    std::mutex mutex;
    std::vector<std::pair<int64_t, int64_t>> ranges;
    std::set<std::thread::id> threads;

    void record(int64_t b, int64_t e) {
        std::lock_guard<std::mutex> lock(mutex);
        ranges.emplace_back(b, e);
        threads.insert(std::this_thread::get_id());
    }
    // Records every chunk of one parallel_for over [begin, end).
    void run(int64_t begin, int64_t end, int64_t grain) {
        qs::parallel_for(begin, end, grain, [&](int64_t b, int64_t e) { record(b, e); });
    }
    // True when the recorded chunks are disjoint and cover [begin, end) exactly.
    bool cover(int64_t begin, int64_t end) {
        std::sort(ranges.begin(), ranges.end());
        int64_t next = begin;
        for (const auto& [b, e] : ranges) {
            if (b != next || e <= b) return false;
            next = e;
        }
        return next == end;
    }
};

}  // namespace

class ParallelTest : public QObject {
    Q_OBJECT
private slots:
    void twoThreadsRunOnTwoThreads() {
        qs::set_num_threads(2);
        QCOMPARE(qs::num_threads(), 2);
        Chunks chunks;
        chunks.run(0, 1000, 10);
        QCOMPARE(chunks.ranges.size(), size_t(2));
        QCOMPARE(chunks.threads.size(), size_t(2));
        QVERIFY(chunks.cover(0, 1000));
    }
    void oneThreadRunsInlineOnTheCaller() {
        qs::set_num_threads(1);
        QCOMPARE(qs::num_threads(), 1);
        Chunks chunks;
        chunks.run(5, 1000, 10);
        QCOMPARE(chunks.ranges.size(), size_t(1));
        QVERIFY(chunks.threads.count(std::this_thread::get_id()) == 1);
        QVERIFY(chunks.cover(5, 1000));
    }
    void rangeWithinOneGrainRunsInline() {
        qs::set_num_threads(2);
        Chunks chunks;
        chunks.run(0, 64, 64);
        QCOMPARE(chunks.ranges.size(), size_t(1));
        QVERIFY(chunks.threads.count(std::this_thread::get_id()) == 1);
        QVERIFY(chunks.cover(0, 64));
    }
    void nestedCallsRunInlineInTheirChunk() {
        qs::set_num_threads(2);
        Chunks inner;
        std::atomic<bool> moved_thread{false};
        qs::parallel_for(0, 2, 1, [&](int64_t b, int64_t) {
            const auto outer = std::this_thread::get_id();
            qs::parallel_for(b * 100, b * 100 + 100, 1, [&](int64_t ib, int64_t ie) {
                inner.record(ib, ie);
                if (std::this_thread::get_id() != outer) moved_thread = true;
            });
        });
        QVERIFY(!moved_thread);
        QCOMPARE(inner.ranges.size(), size_t(2));
        QVERIFY(inner.cover(0, 200));
    }
    void balancedCoversTheRangeOnEveryThread() {
        for (int threads : {1, 2}) {
            qs::set_num_threads(threads);
            Chunks chunks;
            qs::parallel_for_balanced(3, 1000, 10, 1, [&](int64_t b, int64_t e) { chunks.record(b, e); });
            // Chunks are taken and stolen as the threads go, so their number varies with two
            // threads (balancedLearnsEachKindOfWorkApart checks that the second one works).
            if (threads == 1) QCOMPARE(chunks.ranges.size(), size_t(1));
            QVERIFY(chunks.cover(3, 1000));
        }
    }
    // Rows of one kind of work cost three times as much on the second thread as on the calling
    // thread, rows of another kind three times as much on the calling thread; calls alternate.
    // Balanced, the caller runs ~3/4 of the first kind's rows and ~1/4 of the second's (equal
    // halves would give it 1/2 of each). Rows move to the faster thread within each call (a
    // thread that runs out takes from the other), and the split each call starts from follows
    // the speeds learned for its kind: the caller's first chunk, its share but a tail, is then
    // well over half the rows for the first kind and well under for the second, where one
    // ratio shared by both kinds would settle near 1/2 for both.
    void balancedLearnsEachKindOfWorkApart() {
        qs::set_num_threads(2);
        const auto caller = std::this_thread::get_id();
        const auto spin = [](std::chrono::microseconds d) {
            const auto until = std::chrono::steady_clock::now() + d;
            while (std::chrono::steady_clock::now() < until) {}
        };
        const uint64_t caller_fast = 101, caller_slow = 202;
        // Judged on the medians of the last 100 calls of each kind, not on the last call: with
        // another process on the second core (ctest -j2) a descheduled thread can leave a single
        // call to the caller whole (seen: 200 of 200 rows, first chunks still 128 and 48).
        std::vector<int64_t> caller_rows[2], caller_first_chunk[2];
        for (int call = 0; call < 600; ++call) {
            const int kind = call % 2;
            int64_t rows = 0, first_chunk = 0;
            qs::parallel_for_balanced(0, 200, 10, kind ? caller_slow : caller_fast,
                                      [&](int64_t b, int64_t e) {
                const bool on_caller = std::this_thread::get_id() == caller;
                if (on_caller) {
                    if (rows == 0) first_chunk = e - b;
                    rows += e - b;
                }
                spin(std::chrono::microseconds((e - b) * (on_caller == (kind == 0) ? 1 : 3)));
            });
            if (call < 400) continue;
            caller_rows[kind].push_back(rows);
            caller_first_chunk[kind].push_back(first_chunk);
        }
        const auto median = [](std::vector<int64_t> v) {
            std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
            return v[v.size() / 2];
        };
        const int64_t rows0 = median(caller_rows[0]), rows1 = median(caller_rows[1]);
        const int64_t first0 = median(caller_first_chunk[0]), first1 = median(caller_first_chunk[1]);
        qInfo("over the last 100 calls of each kind the calling thread ran a median %lld and %lld "
              "of 200 rows, first chunks %lld and %lld", (long long)rows0, (long long)rows1,
              (long long)first0, (long long)first1);
        QVERIFY(rows0 > 120);
        QVERIFY(rows1 < 80);
        QVERIFY(first0 > 110);
        QVERIFY(first1 < 80);
    }
    // In the first call of a kind of work the shares are equal and the second thread is
    // slow: the caller, done with its half, takes what the other has not started (at least the
    // tail of its share) instead of waiting for it.
    void balancedMovesRowsWithinACall() {
        qs::set_num_threads(2);
        const auto caller = std::this_thread::get_id();
        std::atomic<int64_t> caller_rows{0};
        qs::parallel_for_balanced(0, 200, 10, 303, [&](int64_t b, int64_t e) {
            if (std::this_thread::get_id() == caller)
                caller_rows += e - b;
            else
                std::this_thread::sleep_for(std::chrono::microseconds(20 * (e - b)));
        });
        qInfo("the calling thread ran %lld of 200 rows", (long long)caller_rows.load());
        QVERIFY(caller_rows.load() > 100);
    }
    // run_as_team holds one OpenMP region for the whole call (that is what spares each region
    // inside it OpenMP's fork and join), and every region's chunks run on the team's threads:
    // the caller and the same other thread each time.
    void teamRunsEveryRegionOnItsThreads() {
        qs::set_num_threads(2);
        const auto caller = std::this_thread::get_id();
        std::set<std::thread::id> others;
        bool all_covered = true, caller_ran = true, in_region = false;
        QCOMPARE(omp_in_parallel(), 0);
        qs::run_as_team([&] {
            in_region = omp_in_parallel() != 0;
            for (int region = 0; region < 50; ++region) {
                Chunks chunks;
                if (region % 2)
                    chunks.run(0, 1000, 10);
                else
                    qs::parallel_for_balanced(0, 1000, 10, 1, [&](int64_t b, int64_t e) { chunks.record(b, e); });
                // Balanced regions may run any number of chunks (see above).
                all_covered = all_covered && (region % 2 == 0 || chunks.ranges.size() == 2) &&
                               chunks.cover(0, 1000);
                caller_ran = caller_ran && chunks.threads.count(caller) == 1;
                for (const auto& id : chunks.threads)
                    if (id != caller) others.insert(id);
            }
        });
        QVERIFY(in_region);
        QVERIFY(all_covered);
        QVERIFY(caller_ran);
        QCOMPARE(others.size(), size_t(1));
    }
    // Regions and teams opened inside a team's chunk run inline on that chunk's thread.
    void teamRunsNestedCallsInline() {
        qs::set_num_threads(2);
        Chunks inner, nested_team;
        std::atomic<bool> moved_thread{false};
        qs::run_as_team([&] {
            qs::parallel_for(0, 2, 1, [&](int64_t b, int64_t) {
                const auto outer = std::this_thread::get_id();
                qs::parallel_for(b * 100, b * 100 + 100, 1, [&](int64_t ib, int64_t ie) {
                    inner.record(ib, ie);
                    if (std::this_thread::get_id() != outer) moved_thread = true;
                });
                qs::run_as_team([&] {
                    nested_team.record(b, b + 1);
                    if (std::this_thread::get_id() != outer) moved_thread = true;
                });
            });
        });
        QVERIFY(!moved_thread);
        QCOMPARE(inner.ranges.size(), size_t(2));
        QVERIFY(inner.cover(0, 200));
        QCOMPARE(nested_team.threads.size(), size_t(2));
        QVERIFY(nested_team.cover(0, 2));
    }
    // A chunk that throws on the other thread, or the team's own function, reaches the caller,
    // and the pool is usable afterwards (no thread left waiting).
    void teamPassesExceptionsToTheCaller() {
        qs::set_num_threads(2);
        const auto caller = std::this_thread::get_id();
        bool thrown = false;
        try {
            qs::run_as_team([&] {
                qs::parallel_for(0, 100, 1, [&](int64_t, int64_t) {
                    if (std::this_thread::get_id() != caller) throw std::runtime_error("chunk");
                });
            });
        } catch (const std::runtime_error& e) {
            thrown = std::string(e.what()) == "chunk";
        }
        QVERIFY(thrown);
        thrown = false;
        try {
            qs::run_as_team([&] { throw std::runtime_error("step"); });
        } catch (const std::runtime_error& e) {
            thrown = std::string(e.what()) == "step";
        }
        QVERIFY(thrown);
        Chunks chunks;
        chunks.run(0, 1000, 10);
        QCOMPARE(chunks.threads.size(), size_t(2));
        QVERIFY(chunks.cover(0, 1000));
    }
    void emptyRangeCallsNothing() {
        qs::set_num_threads(2);
        int calls = 0;
        qs::parallel_for(10, 10, 1, [&](int64_t, int64_t) { ++calls; });
        QCOMPARE(calls, 0);
    }
};

QTEST_GUILESS_MAIN(ParallelTest)
#include "test_parallel.moc"
