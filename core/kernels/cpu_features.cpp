#include "kernels/cpu_features.h"

#include <atomic>
#include <cpuid.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/result.h"

namespace qs {

namespace {

struct Regs {
    unsigned a = 0, b = 0, c = 0, d = 0;
};

Regs cpuid(unsigned leaf, unsigned subleaf = 0) {
    Regs r;
    __cpuid_count(leaf, subleaf, r.a, r.b, r.c, r.d);
    return r;
}

uint64_t xgetbv0() {
    uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t(hi) << 32) | lo;
}

bool bit(unsigned v, int n) { return (v >> n) & 1u; }

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    size_t i = 0;
    while (i < s.size() && s[i] == ' ') ++i;
    return s.substr(i);
}

CpuFeatures detect() {
    CpuFeatures f;
    const Regs l0 = cpuid(0);
    const unsigned max_leaf = l0.a;
    char vendor[13] = {};  // EBX, EDX, ECX
    std::memcpy(vendor + 0, &l0.b, 4);
    std::memcpy(vendor + 4, &l0.d, 4);
    std::memcpy(vendor + 8, &l0.c, 4);
    f.vendor = vendor;
    const unsigned max_ext = cpuid(0x80000000u).a;
    if (max_ext >= 0x80000004u) {
        char name[49] = {};
        for (unsigned i = 0; i < 3; ++i) {
            const Regs r = cpuid(0x80000002u + i);
            std::memcpy(name + 16 * i + 0, &r.a, 4);
            std::memcpy(name + 16 * i + 4, &r.b, 4);
            std::memcpy(name + 16 * i + 8, &r.c, 4);
            std::memcpy(name + 16 * i + 12, &r.d, 4);
        }
        f.model_name = trim(name);
    }
    if (max_leaf < 1) return f;
    const Regs l1 = cpuid(1);
    f.sse42 = bit(l1.c, 20);
    f.fma = bit(l1.c, 12);
    f.f16c = bit(l1.c, 29);
    const bool osxsave = bit(l1.c, 27);
    const bool avx_cpu = bit(l1.c, 28);
    if (osxsave) {
        const uint64_t xcr0 = xgetbv0();
        f.os_avx = (xcr0 & 0x6) == 0x6;                 // XMM and YMM state
        f.os_avx512 = f.os_avx && (xcr0 & 0xE0) == 0xE0;  // opmask, ZMM_Hi256, Hi16_ZMM
    }
    f.avx = avx_cpu && f.os_avx;
    f.fma = f.fma && f.os_avx;
    f.f16c = f.f16c && f.os_avx;
    if (max_leaf >= 7) {
        const Regs l7 = cpuid(7, 0);
        f.avx2 = bit(l7.b, 5) && f.os_avx;
        f.avx512f = bit(l7.b, 16) && f.os_avx512;
        f.avx512dq = bit(l7.b, 17) && f.os_avx512;
        f.avx512bw = bit(l7.b, 30) && f.os_avx512;
        f.avx512vl = bit(l7.b, 31) && f.os_avx512;
        f.avx512_vnni = bit(l7.c, 11) && f.os_avx512;
        f.amx_bf16 = bit(l7.d, 22);
        f.amx_tile = bit(l7.d, 24);
        f.amx_int8 = bit(l7.d, 25);
        if (l7.a >= 1) {
            const Regs l71 = cpuid(7, 1);
            f.avx_vnni = bit(l71.a, 4) && f.os_avx;
            f.avx512_bf16 = bit(l71.a, 5) && f.os_avx512;
        }
    }
    return f;
}

std::atomic<int> g_forced{-1};

}  // namespace

std::vector<std::string> CpuFeatures::names() const {
    std::vector<std::string> out;
    const std::pair<bool, const char*> all[] = {
        {sse42, "sse4.2"},         {avx, "avx"},           {avx2, "avx2"},
        {fma, "fma"},              {f16c, "f16c"},         {avx512f, "avx512f"},
        {avx512bw, "avx512bw"},    {avx512vl, "avx512vl"}, {avx512dq, "avx512dq"},
        {avx512_vnni, "avx512_vnni"}, {avx512_bf16, "avx512_bf16"}, {avx_vnni, "avx_vnni"},
        {amx_tile, "amx_tile"},    {amx_int8, "amx_int8"}, {amx_bf16, "amx_bf16"},
    };
    for (const auto& [on, name] : all)
        if (on) out.emplace_back(name);
    return out;
}

const CpuFeatures& cpu_features() {
    static const CpuFeatures f = detect();
    return f;
}

std::string isa_name(Isa isa) {
    switch (isa) {
        case Isa::scalar: return "scalar";
        case Isa::avx2: return "avx2";
        case Isa::avx512: return "avx512";
        case Isa::avx512vnni: return "avx512vnni";
    }
    return "scalar";
}

std::optional<Isa> parse_isa(const std::string& name) {
    for (Isa i : {Isa::scalar, Isa::avx2, Isa::avx512, Isa::avx512vnni})
        if (isa_name(i) == name) return i;
    return std::nullopt;
}

bool isa_supported(Isa isa) {
    const CpuFeatures& f = cpu_features();
    const bool avx2 = f.avx2 && f.fma && f.f16c;
    const bool avx512 = avx2 && f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq;
    switch (isa) {
        case Isa::scalar: return true;
        case Isa::avx2: return avx2;
        case Isa::avx512: return avx512;
        case Isa::avx512vnni: return avx512 && f.avx512_vnni;
    }
    return false;
}

Isa best_supported_isa() {
    for (Isa i : {Isa::avx512vnni, Isa::avx512, Isa::avx2})
        if (isa_supported(i)) return i;
    return Isa::scalar;
}

namespace {

Isa default_isa() {
    const Isa best = best_supported_isa();
    const char* env = std::getenv("QS_ISA");
    if (!env || !*env) return best;
    const std::optional<Isa> wanted = parse_isa(env);
    if (!wanted) {
        std::fprintf(stderr, "quantscope: QS_ISA=%s is not one of scalar, avx2, avx512, "
                             "avx512vnni; using %s\n", env, isa_name(best).c_str());
        return best;
    }
    if (!isa_supported(*wanted)) {
        std::fprintf(stderr, "quantscope: QS_ISA=%s is not supported by this CPU; using %s\n",
                     env, isa_name(best).c_str());
        return best;
    }
    return *wanted;
}

}  // namespace

Isa active_isa() {
    static const Isa from_env = default_isa();
    const int forced = g_forced.load(std::memory_order_relaxed);
    return forced >= 0 ? static_cast<Isa>(forced) : from_env;
}

void force_isa(std::optional<Isa> isa) {
    if (isa && !isa_supported(*isa))
        fail("instruction set " + isa_name(*isa) + " is not supported by this CPU");
    g_forced.store(isa ? static_cast<int>(*isa) : -1, std::memory_order_relaxed);
}

}  // namespace qs
