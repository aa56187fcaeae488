#pragma once
// Picks the next token from logits: greedy (temperature 0; the lowest id wins ties), or sampled
// with temperature and nucleus (top-p) filtering from a seeded generator, so a seed reproduces
// a generation exactly.
#include <cstdint>
#include <random>
#include <vector>

namespace qs {

struct SamplingOptions {
    float temperature = 0.0f;  // 0: greedy
    float top_p = 1.0f;        // keep the smallest set of tokens whose probability >= top_p
    uint64_t seed = 0;
};

class Sampler {
public:
    explicit Sampler(const SamplingOptions& options);
    int32_t next(const std::vector<float>& logits);

private:
    SamplingOptions options_;
    std::mt19937_64 rng_;
};

int32_t argmax(const float* logits, int64_t n);

}  // namespace qs
