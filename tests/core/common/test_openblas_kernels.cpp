// OpenBLAS runs kernels this CPU can run. Debian's OpenBLAS 0.3.21 fell back to its generic
// Prescott (SSE3) kernels on a Xeon its model table did not know, and the fp32 baseline's
// prefill then ran 2.7-3.6x slower than it should: a quantized variant's prefill speedup was
// inflated by as much.
#include <QtTest>
#include <dlfcn.h>
#include <strings.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/openblas_kernels.h"
#include "kernels/cpu_features.h"

namespace {

using CoreName = const char* (*)();
using Sgemm = void (*)(const char*, const char*, const int*, const int*, const int*, const float*,
                       const float*, const int*, const float*, const int*, const float*, float*,
                       const int*);

// The app reaches OpenBLAS through libtorch; a test binary may not have loaded it yet.
void* openblas_symbol(const char* name) {
    if (void* p = dlsym(RTLD_DEFAULT, name)) return p;
    dlopen("libblas.so.3", RTLD_NOW | RTLD_GLOBAL);
    return dlsym(RTLD_DEFAULT, name);
}

}  // namespace

class TestOpenblasKernels : public QObject {
    Q_OBJECT

private slots:
    void coreFollowsTheWidestInstructions() {
        qs::CpuFeatures f;
        QCOMPARE(qs::openblas_core_for(f), std::string());
        f.avx = true;
        QCOMPARE(qs::openblas_core_for(f), std::string("SandyBridge"));
        f.avx2 = true;  // Haswell's kernels need FMA too
        QCOMPARE(qs::openblas_core_for(f), std::string("SandyBridge"));
        f.fma = true;
        QCOMPARE(qs::openblas_core_for(f), std::string("Haswell"));
        f.avx512f = f.avx512bw = f.avx512dq = true;  // SkylakeX's need VL as well
        QCOMPARE(qs::openblas_core_for(f), std::string("Haswell"));
        f.avx512vl = true;
        QCOMPARE(qs::openblas_core_for(f), std::string("SkylakeX"));
    }

    // On a CPU OpenBLAS does not know, it ran Prescott before and the best core after; on one it
    // knows, nothing changes. Either way it is never left on Prescott when the CPU can do better,
    // and sgemm still gives the right product.
    void openblasRunsTheBestKernels() {
        if (qEnvironmentVariableIsSet("OPENBLAS_CORETYPE"))
            QSKIP("OPENBLAS_CORETYPE is set in this environment: the user's choice stands");
        const auto corename = reinterpret_cast<CoreName>(openblas_symbol("openblas_get_corename"));
        const auto sgemm = reinterpret_cast<Sgemm>(openblas_symbol("sgemm_"));
        if (!corename || !sgemm) QSKIP("the system BLAS is not OpenBLAS");
        const std::string before = corename();
        const std::string best = qs::openblas_core_for(qs::cpu_features());

        qs::select_openblas_kernels();
        const std::string after = corename();
        qInfo("OpenBLAS core: %s before, %s after; note: \"%s\"", before.c_str(), after.c_str(),
              qs::openblas_kernels_note().c_str());
        if (strcasecmp(before.c_str(), "Prescott") == 0 && !best.empty()) {
            QCOMPARE(after, best);
            QVERIFY(qs::openblas_kernels_note().find("Prescott") != std::string::npos);
        } else {
            QCOMPARE(after, before);
            QCOMPARE(qs::openblas_kernels_note(), std::string());
        }

        // C = A^T B for A (K x M) and B (K x N), column-major, against a plain triple loop. The
        // sizes exceed one register block of every core so the real kernels run.
        const int M = 37, N = 29, K = 300;
        std::vector<float> a(size_t(K) * M), b(size_t(K) * N), c(size_t(M) * N);
        for (size_t i = 0; i < a.size(); ++i) a[i] = float(int(i * 7 % 13) - 6) / 8.0f;
        for (size_t i = 0; i < b.size(); ++i) b[i] = float(int(i * 5 % 11) - 5) / 4.0f;
        const float one = 1, zero = 0;
        sgemm("T", "N", &M, &N, &K, &one, a.data(), &K, b.data(), &K, &zero, c.data(), &M);
        for (int n = 0; n < N; ++n)
            for (int m = 0; m < M; ++m) {
                double want = 0;
                for (int k = 0; k < K; ++k) want += double(a[m * K + k]) * b[n * K + k];
                // Every product and partial sum is a multiple of 1/32 below 2^19: exact in FP32.
                QCOMPARE(double(c[n * M + m]), want);
            }
    }
};

QTEST_GUILESS_MAIN(TestOpenblasKernels)
#include "test_openblas_kernels.moc"
