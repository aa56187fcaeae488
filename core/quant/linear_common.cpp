#include "quant/linear_common.h"

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
    // Row-major y[m][n] is the column-major n x m matrix C = W^T(col-major k x n)^T * X.
    const int M = int(n), N = int(m), K = int(k), lda = int(ldw), ldb = int(k), ldc = int(ldy);
    const float one = 1.0f, zero = 0.0f;
    sgemm_("T", "N", &M, &N, &K, &one, w, &lda, x, &ldb, &zero, y, &ldc);
}

}  // namespace qs::detail
