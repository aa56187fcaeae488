#include "model/ops.h"

#include <cmath>

#include "common/parallel.h"
#include "kernels/kernels.h"

namespace qs::ops {

void rms_norm(const float* x, const float* w, float* y, int64_t m, int64_t d, float eps) {
    parallel_for(0, m, 16, [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
            const float* xr = x + r * d;
            float* yr = y + r * d;
            float sum = 0.0f;
            for (int64_t i = 0; i < d; ++i) sum += xr[i] * xr[i];
            // Same order of operations as Hugging Face: normalise in FP32, then scale by w.
            const float inv = 1.0f / std::sqrt(sum / static_cast<float>(d) + eps);
            for (int64_t i = 0; i < d; ++i) yr[i] = w[i] * (xr[i] * inv);
        }
    });
}

void add_bias(float* x, const float* b, int64_t m, int64_t d) {
    for (int64_t r = 0; r < m; ++r)
        for (int64_t i = 0; i < d; ++i) x[r * d + i] += b[i];
}

void add_inplace(float* x, const float* y, int64_t n) {
    for (int64_t i = 0; i < n; ++i) x[i] += y[i];
}

void silu_mul(float* gate, const float* up, int64_t n) {
    const auto& kernel = kern::active_table().silu_mul;
    parallel_for(0, n, 1 << 14, [&](int64_t b, int64_t e) { kernel(gate + b, up + b, e - b); });
}

}  // namespace qs::ops
