#pragma once
// What this CPU can do, and which kernel family runs on it. Kernels are compiled per instruction
// set (kernels/*_avx2.cpp, *_avx512.cpp, *_avx512vnni.cpp) and picked here at run time, so one
// binary runs on any x86-64 machine. The pick can be forced down (never up) with the
// environment variable QS_ISA=scalar|avx2|avx512|avx512vnni or with force_isa() in tests.
#include <optional>
#include <string>
#include <vector>

namespace qs {

struct CpuFeatures {
    std::string model_name;  // e.g. "AMD EPYC 9R14 96-Core Processor"
    std::string vendor;      // cpuid's vendor string: "GenuineIntel", "AuthenticAMD", ...
    bool sse42 = false, avx = false, avx2 = false, fma = false, f16c = false;
    bool avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false;
    bool avx512_vnni = false, avx512_bf16 = false, avx_vnni = false;
    bool amx_tile = false, amx_int8 = false, amx_bf16 = false;
    // The operating system saves the YMM / ZMM registers (xgetbv), so AVX / AVX-512 are usable.
    bool os_avx = false, os_avx512 = false;

    // Names of the usable features, e.g. {"sse4.2", "avx", "avx2", "fma", ...}.
    std::vector<std::string> names() const;
};

// Kernel families, from the most portable to the most specialised.
enum class Isa { scalar, avx2, avx512, avx512vnni };

const CpuFeatures& cpu_features();  // detected once (cpuid + xgetbv)
std::string isa_name(Isa isa);      // "scalar", "avx2", "avx512", "avx512vnni"
std::optional<Isa> parse_isa(const std::string& name);
Isa best_supported_isa();           // the best this CPU and OS support
bool isa_supported(Isa isa);

// The ISA the kernels use now: the QS_ISA override (if set, valid and supported; otherwise the
// override is ignored with a warning on stderr) or best_supported_isa().
Isa active_isa();
// For tests and benchmarks: use `isa` from now on (throws Failure if this CPU cannot run it);
// std::nullopt returns to the default. Objects pick their kernels per call, so this takes
// effect on existing PackedLinear objects too. Not meant to be called during a forward().
void force_isa(std::optional<Isa> isa);

}  // namespace qs
