#include "common/openblas_kernels.h"

#include <dlfcn.h>
#include <strings.h>

#include <cstdlib>

namespace qs {

namespace {

// Set once by select_openblas_kernels, before other threads exist.
std::string g_note;

// OpenBLAS is reached through libtorch's BLAS dependency, so its symbols are looked up at run
// time (as common/parallel.cpp does): core does not link a particular BLAS.
template <class Fn>
Fn openblas_symbol(const char* name) {
    return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

}  // namespace

std::string openblas_core_for(const CpuFeatures& cpu) {
    // The flags already say whether the operating system saves the registers (cpu_features.h).
    if (cpu.avx512f && cpu.avx512bw && cpu.avx512dq && cpu.avx512vl) return "SkylakeX";
    if (cpu.avx2 && cpu.fma) return "Haswell";
    if (cpu.avx) return "SandyBridge";
    return "";
}

void select_openblas_kernels() {
    if (std::getenv("OPENBLAS_CORETYPE")) return;
    using CoreName = const char* (*)();
    using Hook = void (*)();
    const auto corename = openblas_symbol<CoreName>("openblas_get_corename");
    // gotoblas_dynamic_init returns at once while a core is selected, so the selection is
    // cleared first; it then reads OPENBLAS_CORETYPE as it does when the library loads.
    const auto quit = openblas_symbol<Hook>("gotoblas_dynamic_quit");
    const auto init = openblas_symbol<Hook>("gotoblas_dynamic_init");
    if (!corename || !quit || !init) return;  // not OpenBLAS, or not a DYNAMIC_ARCH build
    const std::string chosen = corename();
    const std::string better = openblas_core_for(cpu_features());
    if (strcasecmp(chosen.c_str(), "Prescott") != 0 || better.empty()) return;
    ::setenv("OPENBLAS_CORETYPE", better.c_str(), 1);
    quit();
    init();
    g_note = "quantscope selected " + std::string(corename()) + ": OpenBLAS fell back to " +
             chosen + " on this CPU";
}

std::string openblas_kernels_note() { return g_note; }

}  // namespace qs
