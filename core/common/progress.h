#pragma once
// One convention for every long core operation: a progress callback reporting
// (stage, done, total) and a cancel token checked between layers / samples.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace qs {

struct Progress {
    std::string stage;  // human-readable, e.g. "Quantizing layer 12/28"
    int64_t done = 0;
    int64_t total = 0;
};

using ProgressFn = std::function<void(const Progress&)>;

class CancelToken {
public:
    void cancel() { flag_.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return flag_.load(std::memory_order_relaxed); }

private:
    std::atomic<bool> flag_{false};
};

// What long operations receive; both members may be empty.
struct Control {
    ProgressFn progress;
    const CancelToken* cancel = nullptr;

    void report(const std::string& stage, int64_t done, int64_t total) const {
        if (progress) progress(Progress{stage, done, total});
    }
    bool cancelled() const { return cancel && cancel->cancelled(); }
    // Throws Cancelled (caught by guarded()) when the user asked to stop.
    void check() const;
};

}  // namespace qs
