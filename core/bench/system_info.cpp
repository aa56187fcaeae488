#include "bench/system_info.h"

#include <dlfcn.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <ATen/Version.h>
#include <fstream>
#include <thread>
#include <torch/version.h>

#include "common/openblas_kernels.h"
#include "common/version.h"
#include "kernels/cpu_features.h"

namespace qs::bench {

namespace {

// The first value of `key` in /proc/cpuinfo ("model name", "flags").
std::string cpuinfo_field(const std::string& key) {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        const size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
        if (name == key) return line.substr(std::min(line.size(), colon + 2));
    }
    return {};
}

int64_t total_ram_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page > 0 ? int64_t(pages) * page : 0;
}

// oneDNN is only present when libtorch was built with it (ATen reports "" otherwise).
std::string onednn_version() {
    const std::string v = at::get_mkldnn_version();
    return v.empty() ? "not built into libtorch" : v;
}

// OpenBLAS reports its build (version, target, threading) through openblas_get_config, which
// other BLAS implementations lack; look it up at run time instead of linking against it. The
// core it names is the one running now, and the note says when quantscope chose it.
std::string openblas_config() {
    using GetConfig = const char* (*)();
    auto fn = reinterpret_cast<GetConfig>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
    if (!fn) return "not OpenBLAS";
    const std::string note = openblas_kernels_note();
    return std::string(fn()) + (note.empty() ? "" : " (" + note + ")");
}

}  // namespace

SystemInfo collect_system_info(int threads) {
    SystemInfo s;
    const CpuFeatures& cpu = cpu_features();
    s.cpu_model = cpuinfo_field("model name");
    if (s.cpu_model.empty()) s.cpu_model = cpu.model_name;
    // Keep the flags that matter for these kernels, as the kernel layer detected them.
    s.cpu_flags = cpu.names();
    s.cores = static_cast<int>(std::thread::hardware_concurrency());
    s.threads = threads;
    s.ram_bytes = total_ram_bytes();
    utsname u{};
    if (uname(&u) == 0)
        s.os = std::string(u.sysname) + " " + u.release + " " + u.machine;
    s.libtorch_version = TORCH_VERSION;
    s.onednn_version = onednn_version();
    s.openblas_config = openblas_config();
    s.build_type = build_type();
    s.quantscope_version = version();
    s.git_commit = git_commit();
    s.kernel_isa = isa_name(active_isa());
    return s;
}

}  // namespace qs::bench
