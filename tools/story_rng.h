#pragma once
// The generator's only source of randomness. Our own SplitMix64 rather than <random>'s
// distributions, whose outputs are implementation-defined: a seed must give the same corpus,
// eval text and task on every compiler and standard library.
#include <cstdint>
#include <vector>

namespace demo {

class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n); the modulo bias is below 2^-40 for the small n used here.
    size_t below(size_t n) { return static_cast<size_t>(next() % n); }
    bool chance(double p) { return double(next() >> 11) * 0x1.0p-53 < p; }

    template <class T>
    const T& pick(const std::vector<T>& items) {
        return items[below(items.size())];
    }
    template <class T>
    void shuffle(std::vector<T>& items) {
        for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
    }

private:
    uint64_t state_;
};

}  // namespace demo
