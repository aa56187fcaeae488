#pragma once
// Software prefetch for the weight-streaming GEMV kernels. A kernel reads R weight rows side by
// side, and rows are short (560 bytes of int4 with its scales, or 896 of int8, for K = 896), so
// the hardware sees R short streams per step and its prefetchers barely ramp up before each row
// ends: cold int4 weights then arrive at a third of the memory's read bandwidth. Rows are
// contiguous, so the kernels instead prefetch the array front to back, a fixed distance ahead of
// the rows in use.
// (Without it, reading one int4 row at a time still ran at 7 GB/s against 23-25: these kernels
// spend enough instructions per byte that out-of-order execution alone keeps few lines in
// flight. The dense kernels for one activation row need neither: see dense_row_stream.)
// Internal linkage: every kernels_<isa>.cpp gets its own copy (see kernels.h).
#include <xmmintrin.h>

#include <cstdint>

namespace qs::kern {
namespace {

// Bytes to run ahead of the rows being read. Measured on cold int4 / int8 / fp32 4864x896
// matrices (Zen 4, one thread): no prefetch ~6 / 10 / 24 GB/s; 4-64 KB ahead all ~21-29 GB/s
// (within the noise of a shared machine). On an Intel Xeon (AVX-512 VNNI, 14 GB/s a thread),
// bench-kernels in five alternating rounds gave 4 KB the higher int4 GB/s than 16 KB in every
// round (LM head 13.6-14.0 against 12.2-13.2), and int8 and fp32 were no worse; 2 and 8 KB were
// no better than 4.
constexpr int64_t kPrefetchBytes = 4096;

// Prefetches the rows [n0, n1) of a row-major array (rows `stride` bytes apart) in order, at
// the pace the kernel reads them. A step reads rows [n, n + r) side by side; with `done` bytes
// of each read, the front runs kPrefetchBytes beyond row n + r - 1 at that offset and moves r
// bytes per byte of progress, so that at the step's end it is kPrefetchBytes into the next
// step's last row. Called once per step instead, the front moved a whole step at a time: for
// the down projection's long rows (2.4 KB of int4 each) that was one burst of ~150 prefetches
// at the start of each step, half of them for rows the step read at once. Kernels call
// ahead() once per vector of a row (int4: per 256 bytes). Measured against one call per step:
// bench-kernels, int4 down projection, three alternating rounds, 12.6-13.9 GB/s against
// 10.3-12.4; decode of Qwen2.5-0.5B-shaped weights, alternating pairs: int8 weight-only on one
// thread 3-9% faster in 5 pairs of 5, int4 about 1% (1 thread) and 2% (2 threads).
//
// A front that covers row n + r - 1 at some offset has covered rows n .. n + r - 2 whole, so up to
// (r - 1) rows plus kPrefetchBytes sit prefetched but unread. When that exceeds kL1Budget the
// lines go to L2 instead, or they would evict each other (and the activations) from a 32 KB L1
// before use. Measured with bench-kernels, one thread, two alternating rounds: the int8 down
// projection (4 rows of 4864 bytes, 18.7 KB ahead) read 28.7-30.3 GB/s into L1 and 36.6-41.7
// into L2; the matrices with K = 896 and int4's down (12.3 KB ahead) read 2-15% less into L2,
// so they stay on L1.
constexpr int64_t kL1Budget = int64_t(16) << 10;

// For a kernel reading one sequential stream: prefetches the `bytes` that lie kPrefetchBytes
// beyond the `bytes` it reads at p now, so the front keeps pace with the reads. Into L2, not
// L1: on an Intel Xeon (AVX-512 VNNI) decode of Qwen2.5-0.5B-shaped weights with the two hints
// alternating token by token in one process (membw, 200 tokens, median token time) was faster
// into L2 for fp16 by 5.4-5.8% on one thread and 7.7% on two, bf16 6.0-6.6% and 6.9%, fp32
// 0.3-6.4% and 4.4%, int8 dynamic -0.3-6.9% and 5.0-5.2%, int4 (whose LM head is such a
// stream) 0.2-2.4% and 1.0-3.8%; its AVX2 kernels (QS_ISA=avx2) fp16 4.6% and 2.5%, fp32 1.3%
// and 2.8%.
inline void stream_ahead(const void* p, int64_t bytes) {
    const char* front = static_cast<const char*>(p) + kPrefetchBytes;
    for (int64_t i = 0; i < bytes; i += 64) _mm_prefetch(front + i, _MM_HINT_T1);
}

class RowPrefetch {
public:
    // rows_per_step: the r the kernel's main loop passes to ahead(). into_l2: prefetch into
    // L2 even when the lines ahead would fit kL1Budget.
    RowPrefetch(const void* base, int64_t stride, int64_t n0, int64_t n1, int rows_per_step,
                bool into_l2 = false)
        : base_(static_cast<const char*>(base)),
          stride_(stride),
          next_(line(base_ + n0 * stride)),
          end_(base_ + n1 * stride),
          to_l2_(into_l2 || (rows_per_step - 1) * stride + kPrefetchBytes > kL1Budget) {}

    void ahead(int64_t n, int64_t r, int64_t done) {
        const char* target = base_ + (n + r - 1) * stride_ + done * r + kPrefetchBytes;
        if (target > end_) target = end_;
        // A local cursor: advancing the member itself made GCC store it after every prefetch.
        const char* p = next_;
        if (to_l2_)
            for (; p < target; p += 64) _mm_prefetch(p, _MM_HINT_T1);
        else
            for (; p < target; p += 64) _mm_prefetch(p, _MM_HINT_T0);
        next_ = p;
    }

private:
    static const char* line(const char* p) {
        return reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(p) & ~uintptr_t(63));
    }
    const char* base_;
    int64_t stride_;
    const char* next_;
    const char* end_;
    bool to_l2_;
};

}  // namespace
}  // namespace qs::kern
