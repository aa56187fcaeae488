#pragma once
// Internal helpers shared by the PackedLinear formats: scratch memory, the row-parallel driver
// for weight-streaming kernels, and the BLAS entry point. Not part of core's public API.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "common/parallel.h"
#include "kernels/kernels.h"
#include "quant/packed_linear.h"

namespace qs::detail {

// 64-byte aligned scratch of n elements of T (uninitialised).
template <class T>
class Scratch {
public:
    explicit Scratch(size_t n) {
        const size_t bytes = ((n * sizeof(T) + 63) / 64) * 64;
        p_ = static_cast<T*>(std::aligned_alloc(64, bytes ? bytes : 64));
        if (!p_) throw std::bad_alloc();
    }
    ~Scratch() { std::free(p_); }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    T* get() const { return p_; }

private:
    T* p_;
};

// Runs fn(n0, n1) over output rows [0, N) split across threads, each taking at least
// kMinBytesPerThread of weights. A parallel region costs ~4 us here (2 vCPUs), about what one
// thread streams in 128 KB, so splitting a smaller matrix loses: the int4 128x896 k/v
// projection took 8.5 us on two threads against 4.5 us on one.
constexpr int64_t kMinBytesPerThread = int64_t(128) << 10;

template <class Fn>
void parallel_rows(int64_t N, int64_t bytes_per_row, const Fn& fn) {
    int64_t grain = kMinBytesPerThread / (bytes_per_row > 0 ? bytes_per_row : 1);
    if (grain < 16) grain = 16;
    // Threads' relative speeds are learned per matrix shape: they differ from one to another.
    const uint64_t shape = uint64_t(N) << 32 ^ uint64_t(bytes_per_row);
    parallel_for_balanced(0, N, grain, shape, [&](int64_t n0, int64_t n1) { fn(n0, n1); });
}

// y[m][n] (row stride ldy) = sum_k x[m][k] * w[n][k] (row stride ldw), OpenBLAS sgemm with its
// own threads (qs::set_num_threads sets their number).
void sgemm_xwt(int64_t m, int64_t n, int64_t k, const float* x, const float* w, int64_t ldw,
               float* y, int64_t ldy);

// Activation rows at which forward() leaves the GEMV kernels (weights streamed once per
// kMaxRows activation rows) for a GEMM.
constexpr int64_t kGemmMinRows = 5;

// GEMM for formats whose weights convert cheaply to FP32 rows (fp16, bf16, int8 weight-only):
// blocks of rows converted to FP32 by to_f32(n, dst) and multiplied with sgemm.
template <class ToF32>
void converted_gemm(int64_t N, int64_t K, const float* x, int64_t m, float* y,
                    const ToF32& to_f32) {
    // Tiles of about 2 MB of FP32 weights: large enough for sgemm, small enough for L2/L3.
    int64_t tile = (int64_t(2) << 20) / (K * 4 > 0 ? K * 4 : 1);
    tile = tile < 64 ? 64 : tile / 16 * 16;
    if (tile > N) tile = N;
    Scratch<float> buf{size_t(tile * K)};
    for (int64_t t0 = 0; t0 < N; t0 += tile) {
        const int64_t t1 = t0 + tile < N ? t0 + tile : N;
        parallel_for(t0, t1, 16, [&](int64_t n0, int64_t n1) {
            for (int64_t n = n0; n < n1; ++n) to_f32(n, buf.get() + (n - t0) * K);
        });
        sgemm_xwt(m, t1 - t0, K, x, buf.get(), K, y + t0, N);
    }
}

}  // namespace qs::detail
