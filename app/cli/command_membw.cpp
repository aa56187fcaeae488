// `quantscope membw [MODEL] [--method M] [--tokens N] [--threads T] [--json]`: the machine's read
// bandwidth, and — given a model — how close its decode comes to it, measured in the same run:
// bytes streamed per token ÷ time per token ÷ read bandwidth.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "common/bandwidth.h"
#include "model/model.h"

namespace qs::cli {

namespace {

// Median seconds per decoded token over `tokens` greedy-free steps (always the same token, so
// the measurement is the forward pass alone).
double seconds_per_token(const Model& model, int64_t tokens) {
    auto session = unwrap(model.new_session(tokens + 2));
    const int32_t start = model.bos_id().value_or(0);
    unwrap(session->append({start}));
    std::vector<double> times;
    for (int64_t i = 0; i < tokens; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        unwrap(session->append({start}));
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

int command_membw(const Argv& argv) {
    Args args(argv, with(model_value_options(), {"tokens"}), model_flag_options());
    const int64_t tokens = args.integer("tokens", 32, 1, 4096);
    const bool json = args.flag("json");
    if (args.positional().size() > 1) throw UsageError("give at most one MODEL");
    const int threads = apply_threads(args);
    std::shared_ptr<Model> model;
    if (!args.positional().empty()) model = load_model(args, args.positional()[0], false);

    const BandwidthResult bw = measure_read_bandwidth();
    nlohmann::ordered_json out;
    out["threads"] = threads;
    out["read_bandwidth_gbps"] = bw.bytes_per_second / 1e9;
    out["buffer_bytes"] = bw.buffer_bytes;
    if (!json)
        std::printf("read bandwidth  %.1f GB/s (%d thread%s, %lld MiB buffer, best of %d)\n",
                    bw.bytes_per_second / 1e9, threads, threads == 1 ? "" : "s",
                    static_cast<long long>(bw.buffer_bytes >> 20), bw.repetitions);
    if (model) {
        const double spt = seconds_per_token(*model, tokens);
        const double bytes = double(model->info().decode_bytes_per_token);
        const double efficiency = bytes / spt / bw.bytes_per_second;
        out["model"] = model->info().spec;
        out["method"] = method_name(model->info().method);
        out["decode_bytes_per_token"] = model->info().decode_bytes_per_token;
        out["decode_seconds_per_token"] = spt;
        out["decode_tokens_per_s"] = 1.0 / spt;
        out["decode_gbps"] = bytes / spt / 1e9;
        out["decode_bandwidth_efficiency"] = efficiency;
        if (!json)
            std::printf("decode          %s %s: %.1f MB/token, %.2f ms/token (median of %lld), "
                        "%.1f tokens/s = %.1f GB/s = %.0f%% of read bandwidth\n",
                        model->info().spec.c_str(), method_name(model->info().method).c_str(),
                        bytes / 1e6, spt * 1e3, static_cast<long long>(tokens), 1.0 / spt,
                        bytes / spt / 1e9, efficiency * 100);
    }
    if (json) print_json(out);
    return kExitOk;
}

}  // namespace qs::cli
