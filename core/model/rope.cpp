#include "model/rope.h"

#include <cmath>

namespace qs {

RopeTable::RopeTable(int64_t head_dim, double theta, int64_t max_positions)
    : head_dim_(head_dim), max_positions_(max_positions) {
    const int64_t half = head_dim / 2;
    // FP32 like the reference implementations: inv_freq and pos * inv_freq are float products.
    std::vector<float> inv_freq(static_cast<size_t>(half));
    for (int64_t i = 0; i < half; ++i)
        inv_freq[i] = 1.0f / std::pow(static_cast<float>(theta),
                                      static_cast<float>(2 * i) / static_cast<float>(head_dim));
    cos_.resize(static_cast<size_t>(max_positions * half));
    sin_.resize(static_cast<size_t>(max_positions * half));
    for (int64_t p = 0; p < max_positions; ++p) {
        for (int64_t i = 0; i < half; ++i) {
            const float angle = static_cast<float>(p) * inv_freq[i];
            cos_[p * half + i] = static_cast<float>(std::cos(static_cast<double>(angle)));
            sin_[p * half + i] = static_cast<float>(std::sin(static_cast<double>(angle)));
        }
    }
}

void RopeTable::apply(float* x, int64_t m, int64_t n_heads, int64_t position0) const {
    const int64_t half = head_dim_ / 2;
    for (int64_t r = 0; r < m; ++r) {
        const float* c = cos_.data() + (position0 + r) * half;
        const float* s = sin_.data() + (position0 + r) * half;
        for (int64_t h = 0; h < n_heads; ++h) {
            float* v = x + (r * n_heads + h) * head_dim_;
            for (int64_t i = 0; i < half; ++i) {
                const float a = v[i], b = v[i + half];
                v[i] = a * c[i] - b * s[i];
                v[i + half] = b * c[i] + a * s[i];
            }
        }
    }
}

}  // namespace qs
