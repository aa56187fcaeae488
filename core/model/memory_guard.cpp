#include "model/memory_guard.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/result.h"
#include "quant/method_formats.h"

namespace qs {

namespace {

// One number from a file such as memory.max; -1 when absent or not a number ("max").
int64_t read_number(const std::string& path) {
    std::ifstream in(path);
    std::string text;
    if (!(in >> text)) return -1;
    char* end = nullptr;
    const long long v = std::strtoll(text.c_str(), &end, 10);
    return end && *end == '\0' && v >= 0 ? v : -1;
}

// A "key value" line of a stat file (memory.stat, /proc/meminfo); -1 when absent.
int64_t read_key(const std::string& path, const std::string& key) {
    std::ifstream in(path);
    std::string k;
    int64_t v = 0;
    while (in >> k >> v) {
        if (k == key) return v;
        in.ignore(1 << 10, '\n');
    }
    return -1;
}

// The cgroup folder of this process ("0::/path" in /proc/self/cgroup for v2).
std::string cgroup_v2_dir() {
    std::ifstream in("/proc/self/cgroup");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("0::", 0) == 0) return "/sys/fs/cgroup" + line.substr(3);
    return "/sys/fs/cgroup";
}

// Room left under the cgroup limit; page cache that can be dropped (inactive files) counts as
// free, as the kernel reclaims it before killing anything. -1 when there is no limit.
int64_t cgroup_room() {
    for (const std::string& dir : {cgroup_v2_dir(), std::string("/sys/fs/cgroup")}) {
        const int64_t limit = read_number(dir + "/memory.max");
        const int64_t used = read_number(dir + "/memory.current");
        if (limit < 0 || used < 0) continue;
        const int64_t reclaimable = std::max<int64_t>(0, read_key(dir + "/memory.stat", "inactive_file"));
        return std::max<int64_t>(0, limit - (used - reclaimable));
    }
    const std::string v1 = "/sys/fs/cgroup/memory/";
    const int64_t limit = read_number(v1 + "memory.limit_in_bytes");
    const int64_t used = read_number(v1 + "memory.usage_in_bytes");
    if (limit < 0 || used < 0 || limit >= (int64_t(1) << 60)) return -1;  // v1 says "no limit" with ~2^63
    const int64_t reclaimable = std::max<int64_t>(0, read_key(v1 + "memory.stat", "total_inactive_file"));
    return std::max<int64_t>(0, limit - (used - reclaimable));
}

int64_t parse_size(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    const std::string unit = end ? std::string(end) : std::string();
    double scale = 0;
    if (unit.empty() || unit == "B") scale = 1;
    else if (unit == "K" || unit == "KiB") scale = 1024.0;
    else if (unit == "M" || unit == "MiB") scale = 1024.0 * 1024;
    else if (unit == "G" || unit == "GiB") scale = 1024.0 * 1024 * 1024;
    else if (unit == "T" || unit == "TiB") scale = 1024.0 * 1024 * 1024 * 1024;
    if (text.empty() || end == text.c_str() || scale == 0 || !(v >= 0) || v * scale > 9e18)
        fail("QS_MEMORY_AVAILABLE=\"" + text + "\": expected a size such as 2G, 512M or 1000000");
    return static_cast<int64_t>(v * scale);
}

std::string gib(int64_t bytes) {
    char buf[64];
    if (bytes >= (int64_t(1) << 30)) std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / 1073741824.0);
    else std::snprintf(buf, sizeof buf, "%.0f MiB", bytes / 1048576.0);
    return buf;
}

}  // namespace

AvailableMemory available_memory() {
    if (const char* env = std::getenv("QS_MEMORY_AVAILABLE"); env && *env)
        return {parse_size(env), "QS_MEMORY_AVAILABLE"};
    AvailableMemory a;
    const int64_t kib = read_key("/proc/meminfo", "MemAvailable:");
    if (kib >= 0) a = {kib * 1024, "MemAvailable"};
    const int64_t room = cgroup_room();
    if (room >= 0 && (a.bytes < 0 || room < a.bytes)) a = {room, "cgroup limit"};
    return a;
}

int64_t held_weight_bytes(const WeightSource& source, const QuantOptions& options,
                          const QuantizedManifest* manifest) {
    if (manifest) return source.stored_bytes();
    int64_t total = 0;
    for_each_expected_tensor(source.config(), [&](const ExpectedTensor& t) {
        total += t.matrix ? packed_matrix_bytes(options, t.shape[0], t.shape[1], t.embedding_or_head)
                          : t.shape[0] * 4;
        return true;
    });
    return total;
}

int64_t load_peak_bytes(const WeightSource& source, const QuantOptions& options,
                        const QuantizedManifest* manifest) {
    int64_t largest = 0;
    if (!manifest)
        for_each_expected_tensor(source.config(), [&](const ExpectedTensor& t) {
            if (t.matrix) largest = std::max(largest, t.shape[0] * t.shape[1] * 4);
            return true;
        });
    return held_weight_bytes(source, options, manifest) + largest;
}

void check_memory(const std::string& spec, const std::string& action, int64_t needed) {
    const AvailableMemory available = available_memory();
    if (available.bytes < 0 || needed <= available.bytes) return;
    fail(spec + ": " + action + " needs " + gib(needed) + " of memory but " + gib(available.bytes) +
         " is available (" + available.source + ")");
}

}  // namespace qs
