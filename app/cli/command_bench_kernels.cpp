// `quantscope bench-kernels [--threads T] [--seconds S] [--json]`: speed of each weight format's
// forward() on the Qwen2.5-0.5B matrix shapes, measured in this run.
// Decode (one activation row): weight bytes streamed per second, against the machine's read
// bandwidth measured in the same run (before and after the kernels; the higher one is the
// yardstick, so the fractions are not flattered). Every matrix is replicated until the copies
// exceed the last-level cache by far and the calls rotate through them, as a model's layers do,
// so the weights come from memory, not from cache. Prefill (128 rows): GFLOP/s and the ratio
// to fp32 (OpenBLAS sgemm).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "common/bandwidth.h"
#include "common/parallel.h"
#include "kernels/cpu_features.h"
#include "kernels/kernels.h"
#include "quant/formats.h"

namespace qs::cli {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr size_t kColdBytes = size_t(256) << 20;  // working set per decode measurement
constexpr int64_t kPrefillRows = 128;

struct Shape {
    const char* what;
    int64_t out, in;
};
const Shape kShapes[] = {
    {"q/o proj", 896, 896}, {"k/v proj", 128, 896}, {"gate/up", 4864, 896},
    {"down", 896, 4864},    {"lm head", 151936, 896},
};
const char* const kFormats[] = {"fp32", "fp16", "bf16", "int8-weight-only", "int8-dynamic", "int4"};

std::unique_ptr<PackedLinear> make(const std::string& format, const std::vector<float>& w,
                                   int64_t out, int64_t in) {
    if (format == "fp32") {
        Buffer b = Buffer::allocate(w.size() * 4);
        std::memcpy(b.mutable_as<float>(), w.data(), w.size() * 4);
        return make_fp32_linear(std::move(b), out, in);
    }
    if (format == "fp16" || format == "bf16") return make_half_linear(w.data(), out, in, format == "bf16");
    if (format == "int8-weight-only") return make_int8_linear(w.data(), out, in, Int8Mode::weight_only);
    if (format == "int8-dynamic") return make_int8_linear(w.data(), out, in, Int8Mode::dynamic);
    return make_int4_linear(w.data(), out, in, Int4Options{});  // the int4 method's default
}

// An independent copy (own memory) of a packed matrix, through its saved form.
std::unique_ptr<PackedLinear> clone(const PackedLinear& l) {
    std::map<std::string, StoredTensor> tensors;
    for (StoredTensor t : l.stored_tensors()) {
        Buffer b = Buffer::allocate(t.buffer.bytes);
        std::memcpy(b.mutable_as<void>(), t.buffer.data, t.buffer.bytes);
        t.buffer = std::move(b);
        tensors[t.suffix] = std::move(t);
    }
    return load_packed_linear(format_spec(l), l.out_features(), l.in_features(), tensors);
}

// Seconds per forward() of m rows, rotating through `copies` (after one untimed rotation): the
// calls are timed in windows of at least 20 ms and one rotation, for at least `seconds` in all,
// and the fastest window counts, as the read bandwidth counts its fastest pass (on a shared
// machine the slower windows measure other processes).
double time_forward(const std::vector<std::unique_ptr<PackedLinear>>& copies,
                    const std::vector<float>& x, int64_t m, std::vector<float>& y, double seconds) {
    for (const auto& c : copies) c->forward(x.data(), m, y.data());
    size_t next = 0;
    double best = 1e30, total = 0;
    do {
        size_t calls = 0;
        const auto t0 = Clock::now();
        double elapsed = 0;
        while (calls < copies.size() || elapsed < 0.02) {
            copies[next++ % copies.size()]->forward(x.data(), m, y.data());
            ++calls;
            elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
        }
        best = std::min(best, elapsed / double(calls));
        total += elapsed;
    } while (total < seconds);
    return best;
}

std::vector<float> random_values(size_t n, uint32_t seed, float scale) {
    // Uniform values from a fast generator: the kernels' speed does not depend on them.
    std::vector<float> v(n);
    uint32_t s = seed * 2654435761u + 1;
    for (float& f : v) {
        s = s * 1664525u + 1013904223u;
        f = (float(s >> 8) / float(1 << 24) - 0.5f) * scale;
    }
    return v;
}

}  // namespace

int command_bench_kernels(const Argv& argv) {
    Args args(argv, {"threads", "seconds"}, {"json"});
    if (!args.positional().empty()) throw UsageError("unexpected argument \"" + args.positional()[0] + "\"");
    const int threads = apply_threads(args);
    const double seconds = args.number("seconds", 0.3, 0.01, 60);
    const bool as_json = args.flag("json");
    const std::string kernels = kern::active_table().label;

    const double bw_before = measure_read_bandwidth().bytes_per_second / 1e9;
    if (!as_json)
        std::printf("read bandwidth (%d thread%s): %.1f GB/s; kernels: %s\n\n", threads,
                    threads == 1 ? "" : "s", bw_before, kernels.c_str());

    json decode = json::array(), prefill = json::array();
    std::map<std::string, double> prefill_fp32;  // shape -> seconds per call
    if (!as_json)
        std::printf("decode, 1 row:\n  %-9s %-12s %-17s %10s %9s %8s  %s\n", "matrix", "shape", "format",
                    "bytes", "us/call", "GB/s", "kernel");
    for (const Shape& s : kShapes) {
        const std::vector<float> w = random_values(size_t(s.out * s.in), uint32_t(s.out + s.in), 0.1f);
        const std::vector<float> x1 = random_values(size_t(s.in), 7, 2.0f);
        const std::vector<float> xp = random_values(size_t(kPrefillRows * s.in), 8, 2.0f);
        const std::string shape = std::to_string(s.out) + "x" + std::to_string(s.in);
        const bool with_prefill = s.out * s.in <= 4864 * 896;  // the LM head is decode-only here
        for (const char* format : kFormats) {
            std::vector<std::unique_ptr<PackedLinear>> copies;
            copies.push_back(make(format, w, s.out, s.in));
            const int64_t bytes = copies[0]->weight_bytes();
            const size_t want = std::min<size_t>(4096, (kColdBytes + size_t(bytes) - 1) / size_t(bytes));
            while (copies.size() < want) copies.push_back(clone(*copies[0]));
            std::vector<float> y(size_t(kPrefillRows * s.out));
            const double t1 = time_forward(copies, x1, 1, y, seconds);
            const double gbps = double(bytes) / t1 / 1e9;
            decode.push_back({{"matrix", s.what}, {"out", s.out}, {"in", s.in}, {"format", format},
                              {"kernel", copies[0]->kernel_name(1)}, {"weight_bytes", bytes},
                              {"copies", copies.size()}, {"us_per_call", t1 * 1e6}, {"gbps", gbps}});
            if (!as_json)
                std::printf("  %-9s %-12s %-17s %10lld %9.1f %8.2f  %s\n", s.what, shape.c_str(), format,
                            (long long)bytes, t1 * 1e6, gbps, copies[0]->kernel_name(1).c_str());
            if (!with_prefill) continue;
            copies.resize(1);  // prefill is compute-bound: warm weights are the realistic case
            const double tp = time_forward(copies, xp, kPrefillRows, y, seconds);
            if (std::string(format) == "fp32") prefill_fp32[shape] = tp;
            const double flops = 2.0 * double(kPrefillRows) * double(s.out) * double(s.in);
            prefill.push_back({{"matrix", s.what}, {"out", s.out}, {"in", s.in}, {"format", format},
                               {"rows", kPrefillRows}, {"kernel", copies[0]->kernel_name(kPrefillRows)},
                               {"ms_per_call", tp * 1e3}, {"gflops", flops / tp / 1e9},
                               {"speed_vs_fp32", prefill_fp32[shape] / tp}});
        }
    }
    const double bw_after = measure_read_bandwidth().bytes_per_second / 1e9;
    const double yardstick = std::max(bw_before, bw_after);
    for (json& d : decode) d["fraction_of_read_bandwidth"] = d["gbps"].get<double>() / yardstick;

    if (as_json) {
        print_json({{"threads", threads},
                    {"kernels", kernels},
                    {"cpu", cpu_features().model_name},
                    {"cpu_features", cpu_features().names()},
                    {"read_bandwidth_gbps", yardstick},
                    {"read_bandwidth_before_gbps", bw_before},
                    {"read_bandwidth_after_gbps", bw_after},
                    {"decode", decode},
                    {"prefill", prefill}});
        return kExitOk;
    }
    std::printf("\nread bandwidth after: %.1f GB/s; fractions below use %.1f GB/s\n", bw_after, yardstick);
    std::printf("  %-9s %-17s %8s %8s\n", "matrix", "format", "GB/s", "of read");
    for (const json& d : decode)
        std::printf("  %-9s %-17s %8.2f %7.0f%%\n", d["matrix"].get<std::string>().c_str(),
                    d["format"].get<std::string>().c_str(), d["gbps"].get<double>(),
                    100 * d["fraction_of_read_bandwidth"].get<double>());
    std::printf("\nprefill, %lld rows:\n  %-9s %-17s %9s %8s %8s  %s\n", (long long)kPrefillRows, "matrix",
                "format", "ms/call", "GFLOP/s", "vs fp32", "kernel");
    for (const json& p : prefill)
        std::printf("  %-9s %-17s %9.2f %8.1f %7.2fx  %s\n", p["matrix"].get<std::string>().c_str(),
                    p["format"].get<std::string>().c_str(), p["ms_per_call"].get<double>(),
                    p["gflops"].get<double>(), p["speed_vs_fp32"].get<double>(),
                    p["kernel"].get<std::string>().c_str());
    return kExitOk;
}

}  // namespace qs::cli
