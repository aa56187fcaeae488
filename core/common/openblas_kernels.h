#pragma once
// Makes OpenBLAS run the kernels this CPU can run. Debian's OpenBLAS 0.3.21 picks its kernels
// from the CPU's family and model numbers, and on a model it does not know falls back to its
// generic Prescott (SSE3) kernels, whatever instructions the CPU has. On an Intel Xeon of
// family 6 model 207 (AVX-512) one-thread sgemm then ran 28 GFLOPS against 133 with its
// SkylakeX kernels, and fp32 prefill of Qwen2.5-0.5B took 2.0-2.9 s against 0.7-0.8: every
// prefill speedup against the fp32 baseline would have been inflated by as much.
#include <string>

#include "kernels/cpu_features.h"

namespace qs {

// The OpenBLAS core whose kernels suit these features, best first: "SkylakeX" (AVX-512 F, BW,
// DQ, VL), "Haswell" (AVX2 + FMA), "SandyBridge" (AVX), or "" when only SSE is left, which is
// what Prescott is for anyway.
std::string openblas_core_for(const CpuFeatures& cpu);

// When OpenBLAS fell back to Prescott on a CPU that openblas_core_for gives a better core,
// selects that core again through OpenBLAS's own OPENBLAS_CORETYPE. A user's OPENBLAS_CORETYPE
// is left alone, and so is a process without OpenBLAS. Call once at the start of main, before
// any other thread runs and before any BLAS call: it sets that environment variable (which
// child processes then inherit, so they load the same kernels).
void select_openblas_kernels();

// For results: "" when OpenBLAS runs the kernels it chose itself, otherwise what was replaced,
// e.g. "quantscope selected SkylakeX: OpenBLAS fell back to Prescott on this CPU".
std::string openblas_kernels_note();

}  // namespace qs
