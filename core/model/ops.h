#pragma once
// The small per-token operations of a decoder layer, fused into single passes over raw float
// rows. At decode time (one token) libtorch's per-op dispatch costs more than these loops, and
// they are cheap next to the matrix products at prefill time.
#include <cstdint>

namespace qs::ops {

// y[r] = x[r] / sqrt(mean(x[r]^2) + eps) * w, for m rows of width d (y may alias x).
void rms_norm(const float* x, const float* w, float* y, int64_t m, int64_t d, float eps);

// x[r] += b for m rows of width d.
void add_bias(float* x, const float* b, int64_t m, int64_t d);

// x += y elementwise (n values).
void add_inplace(float* x, const float* y, int64_t n);

// gate[i] = silu(gate[i]) * up[i] (n values), silu(g) = g / (1 + exp(-g)).
void silu_mul(float* gate, const float* up, int64_t n);

}  // namespace qs::ops
