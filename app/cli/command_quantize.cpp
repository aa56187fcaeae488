// `quantscope quantize MODEL --method M [--group-size G] [--fp32-embeddings] -o DIR [--force]
// [--json]` writes a quantized, self-describing folder; `quantscope quantize --stats DIR` prints
// the same figures for a folder written earlier. Every figure is measured, none estimated.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli_common.h"
#include "commands.h"
#include "model/quantize_model.h"

namespace qs::cli {

namespace {

nlohmann::ordered_json report_json(const QuantizeReport& r) {
    nlohmann::ordered_json tensors = nlohmann::ordered_json::array();
    for (const TensorInfo& t : r.tensors)
        tensors.push_back({{"name", t.name}, {"shape", t.shape}, {"format", t.format}, {"bytes", t.bytes}});
    const double reduction =
        r.fp32_weight_bytes > 0 ? 100.0 * (1.0 - double(r.quantized_weight_bytes) / r.fp32_weight_bytes) : 0.0;
    return {{"model", r.model},
            {"output", r.output},
            {"method", method_name(r.method)},
            {"method_detail", r.method_detail},
            {"original_weight_bytes", r.original_weight_bytes},
            {"fp32_weight_bytes", r.fp32_weight_bytes},
            {"quantized_weight_bytes", r.quantized_weight_bytes},
            {"reduction_percent", reduction},
            {"file_bytes", r.file_bytes},
            {"seconds", r.seconds},
            {"tensors_quantized", r.tensors_quantized},
            {"tensors", tensors}};
}

void print_report(const QuantizeReport& r, bool saved) {
    const double mib = 1024.0 * 1024.0;
    std::printf("%s %s\n", saved ? "wrote" : "folder", r.output.c_str());
    std::printf("  method            %s (%s)\n", method_name(r.method).c_str(), r.method_detail.c_str());
    std::printf("  source weights    %lld bytes (%.2f MiB) as stored\n",
                static_cast<long long>(r.original_weight_bytes), r.original_weight_bytes / mib);
    std::printf("  fp32 weights      %lld bytes (%.2f MiB)\n", static_cast<long long>(r.fp32_weight_bytes),
                r.fp32_weight_bytes / mib);
    std::printf("  quantized weights %lld bytes (%.2f MiB), %.1f%% smaller than fp32\n",
                static_cast<long long>(r.quantized_weight_bytes), r.quantized_weight_bytes / mib,
                100.0 * (1.0 - double(r.quantized_weight_bytes) / double(r.fp32_weight_bytes)));
    std::printf("  tensors quantized %lld of %zu\n", static_cast<long long>(r.tensors_quantized), r.tensors.size());
    std::printf("  file              %lld bytes\n", static_cast<long long>(r.file_bytes));
    std::printf("  %s %.2f s\n", saved ? "took             " : "loaded in        ", r.seconds);
}

// The figures of an existing quantized folder, measured by loading it.
QuantizeReport folder_report(const Args& args, const std::string& dir) {
    const auto start = std::chrono::steady_clock::now();
    auto model = load_model(args, dir, false);
    const ModelInfo& info = model->info();
    if (info.source != "quantscope")
        throw UsageError(dir + " is not a folder written by `quantscope quantize`");
    QuantizeReport r;
    r.model = dir;
    r.output = dir;
    r.method = info.method;
    r.method_detail = info.method_detail;
    r.original_weight_bytes = info.stored_weight_bytes;
    r.quantized_weight_bytes = info.weight_bytes;
    for (const TensorInfo& t : info.tensors) {
        int64_t n = 1;
        for (int64_t d : t.shape) n *= d;
        r.fp32_weight_bytes += n * 4;
        if (t.format != "fp32" && t.shape.size() == 2) ++r.tensors_quantized;
    }
    r.tensors = info.tensors;
    r.file_bytes = int64_t(std::filesystem::file_size(std::filesystem::path(dir) / "model.safetensors"));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

}  // namespace

int command_quantize(const Argv& argv) {
    Argv expanded;  // -o is the conventional short form of --output
    for (const std::string& a : argv) expanded.push_back(a == "-o" ? "--output" : a);
    Args args(expanded, with(model_value_options(), {"output"}), with(model_flag_options(), {"force", "stats"}));
    const std::string spec = args.one_positional("MODEL");
    const bool json = args.flag("json");
    apply_threads(args);
    if (args.flag("stats")) {
        if (args.has("output") || args.has("method")) throw UsageError("--stats takes only a quantized folder");
        const QuantizeReport r = folder_report(args, spec);
        if (json) print_json(report_json(r));
        else print_report(r, false);
        return kExitOk;
    }
    if (!args.has("method")) throw UsageError("missing --method (e.g. --method int8-dynamic)");
    if (!args.has("output")) throw UsageError("missing -o DIR (the folder to write)");
    LoadOptions options;
    options.quant = quant_options(args);
    options.tokenizer = args.text("tokenizer");
    const QuantizeReport r = unwrap(quantize_model(spec, options, args.text("output"), args.flag("force"),
                                                   stderr_progress()));
    if (json) print_json(report_json(r));
    else print_report(r, true);
    return kExitOk;
}

}  // namespace qs::cli
