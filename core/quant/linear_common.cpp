#include "quant/linear_common.h"

#include <algorithm>
#include <climits>

#include "common/result.h"

// OpenBLAS (the system BLAS, linked as -lblas): Fortran interface, column-major.
extern "C" void sgemm_(const char* transa, const char* transb, const int* m, const int* n,
                       const int* k, const float* alpha, const float* a, const int* lda,
                       const float* b, const int* ldb, const float* beta, float* c,
                       const int* ldc);

namespace qs::detail {

void sgemm_xwt(int64_t m, int64_t n, int64_t k, const float* x, const float* w, int64_t ldw,
               float* y, int64_t ldy) {
    if (m > INT_MAX || n > INT_MAX || k > INT_MAX || ldw > INT_MAX || ldy > INT_MAX)
        fail("matrix too large for BLAS (dimension above 2^31)");
    // Output columns split over the thread pool (OpenBLAS itself runs single-threaded, see
    // common/parallel.h), at least ~2 MFLOP a piece so that small products stay on one thread.
    // sgemm is called once per fixed block of columns, whatever the thread count: OpenBLAS's
    // result for a column depends on the size of the call (a 1500-column product split in two
    // calls differed from one call in the last bits), and the logits must not change with
    // --threads.
    constexpr int64_t kColumnBlock = 64;
    const int64_t flops_per_block = 2 * m * k * kColumnBlock > 0 ? 2 * m * k * kColumnBlock : 1;
    const int64_t grain =
        std::max<int64_t>(1, ((int64_t(1) << 21) + flops_per_block - 1) / flops_per_block);
    const int64_t blocks = (n + kColumnBlock - 1) / kColumnBlock;
    parallel_for(0, blocks, grain, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
            const int64_t n0 = b * kColumnBlock, n1 = std::min(n, n0 + kColumnBlock);
            // Row-major y[m][n] is the column-major n x m matrix C = W^T(col-major k x n)^T * X.
            const int M = int(n1 - n0), N = int(m), K = int(k), lda = int(ldw), ldb = int(k),
                      ldc = int(ldy);
            const float one = 1.0f, zero = 0.0f;
            sgemm_("T", "N", &M, &N, &K, &one, w + n0 * ldw, &lda, x, &ldb, &zero, y + n0,
                   &ldc);
        }
    });
}

}  // namespace qs::detail
