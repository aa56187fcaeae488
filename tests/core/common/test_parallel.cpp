// parallel_for really runs on the threads set_num_threads asks for. It once ran every chunk
// inline (ATen's OpenMP region was not compiled in), so every 2-thread figure the app reported
// had been measured on one thread. parallel_for_balanced covers its range the same way and
// moves rows to the thread that is faster.
#include <QtTest>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "common/parallel.h"

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
            qs::parallel_for_balanced(3, 1000, 10, [&](int64_t b, int64_t e) { chunks.record(b, e); });
            QCOMPARE(chunks.ranges.size(), size_t(threads));
            QCOMPARE(chunks.threads.size(), size_t(threads));
            QVERIFY(chunks.cover(3, 1000));
        }
    }
    // Rows cost three times as much on the second thread as on the calling thread: after a few
    // hundred calls the caller holds well over half the rows (3/4 when balanced). With equal
    // halves it would keep 1/2.
    void balancedMovesRowsToTheFasterThread() {
        qs::set_num_threads(2);
        const auto caller = std::this_thread::get_id();
        const auto spin = [](std::chrono::microseconds d) {
            const auto until = std::chrono::steady_clock::now() + d;
            while (std::chrono::steady_clock::now() < until) {}
        };
        std::atomic<int64_t> caller_rows{0};
        for (int call = 0; call < 300; ++call) {
            caller_rows = 0;
            qs::parallel_for_balanced(0, 200, 10, [&](int64_t b, int64_t e) {
                const bool on_caller = std::this_thread::get_id() == caller;
                if (on_caller) caller_rows = e - b;
                spin(std::chrono::microseconds((e - b) * (on_caller ? 1 : 3)));
            });
        }
        qInfo("calling thread's rows after 300 calls: %lld of 200", (long long)caller_rows.load());
        QVERIFY(caller_rows.load() > 120);
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
