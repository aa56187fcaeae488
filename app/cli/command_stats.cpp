// `quantscope stats MODEL`: architecture, parameters, dtype, weight bytes and a layer table.
// Without --method it reads metadata only; with --method it loads and quantizes in memory and
// reports the measured bytes of that variant.
#include <cstdio>
#include <map>

#include "cli_common.h"
#include "commands.h"

namespace qs::cli {

namespace {

nlohmann::json layer_table(const std::vector<TensorInfo>& tensors, nlohmann::json& other) {
    std::map<int64_t, nlohmann::json> layers;
    for (const TensorInfo& t : tensors) {
        nlohmann::json entry = {{"name", t.name}, {"shape", t.shape}, {"format", t.format}, {"bytes", t.bytes}};
        const std::string prefix = "model.layers.";
        // Checkpoints may carry extra tensors such as "model.layers.x.rotary_emb.inv_freq":
        // only a numeric index makes a layer row.
        const size_t digits = t.name.find_first_not_of("0123456789", prefix.size());
        if (t.name.rfind(prefix, 0) == 0 && digits > prefix.size() && digits != std::string::npos &&
            digits - prefix.size() < 10) {
            const int64_t index = std::stoll(t.name.substr(prefix.size()));
            nlohmann::json& layer = layers[index];
            if (layer.is_null()) layer = {{"index", index}, {"bytes", 0}, {"tensors", nlohmann::json::array()}};
            layer["tensors"].push_back(entry);
            layer["bytes"] = layer["bytes"].get<int64_t>() + t.bytes;
        } else {
            other.push_back(entry);
        }
    }
    nlohmann::json out = nlohmann::json::array();
    for (auto& [index, layer] : layers) out.push_back(layer);
    return out;
}

void print_text(const ModelInfo& info, const nlohmann::json& layers, const nlohmann::json& other) {
    const ModelConfig& c = info.config;
    std::printf("%s%s\n", info.spec.c_str(), info.synthetic ? "  [synthetic: random weights, models nothing]" : "");
    std::printf("  architecture   %s (%s)\n", c.architecture.c_str(), info.description.c_str());
    std::printf("  parameters     %lld\n", static_cast<long long>(info.parameters));
    std::printf("  dtype          %s\n", info.stored_dtype.c_str());
    std::printf("  method         %s\n", method_name(info.method).c_str());
    std::printf("  weight bytes   %lld (%.1f MiB)\n", static_cast<long long>(info.weight_bytes),
                static_cast<double>(info.weight_bytes) / (1 << 20));
    std::printf("  shape          hidden %lld, intermediate %lld, %lld layers, %lld heads / %lld KV heads x %lld, vocab %lld\n",
                (long long)c.hidden_size, (long long)c.intermediate_size, (long long)c.num_layers,
                (long long)c.num_heads, (long long)c.num_kv_heads, (long long)c.head_dim, (long long)c.vocab_size);
    std::printf("  rope_theta %g, rms_norm_eps %g, tied embeddings %s, q/k/v bias %s, context %lld\n",
                c.rope_theta, c.rms_norm_eps, c.tie_word_embeddings ? "yes" : "no",
                c.attention_bias ? "yes" : "no", (long long)c.max_position_embeddings);
    std::printf("  tokenizer      %s\n", info.tokenizer_path.empty() ? "(none)" : info.tokenizer_path.c_str());
    std::printf("\n  %-6s %14s  %s\n", "layer", "bytes", "formats");
    for (const auto& layer : layers) {
        std::map<std::string, int> formats;
        for (const auto& t : layer["tensors"]) formats[t["format"].get<std::string>()]++;
        std::string f;
        for (const auto& [name, n] : formats) f += (f.empty() ? "" : ", ") + std::to_string(n) + "x " + name;
        std::printf("  %-6lld %14lld  %s\n", (long long)layer["index"].get<int64_t>(),
                    (long long)layer["bytes"].get<int64_t>(), f.c_str());
    }
    for (const auto& t : other)
        std::printf("  %-40s %14lld  %s\n", t["name"].get<std::string>().c_str(),
                    (long long)t["bytes"].get<int64_t>(), t["format"].get<std::string>().c_str());
}

}  // namespace

int command_stats(const Argv& argv) {
    Args args(argv, model_value_options(), model_flag_options());
    const std::string spec = args.one_positional("MODEL");
    apply_threads(args);  // inspecting needs no threads, but a bad --threads is still bad input
    ModelInfo info;
    if (args.has("method") || args.has("fp32-embeddings")) {
        info = load_model(args, spec, false)->info();
    } else {
        info = unwrap(Model::inspect(spec, args.text("tokenizer")));
    }
    nlohmann::json other = nlohmann::json::array();
    const nlohmann::json layers = layer_table(info.tensors, other);
    if (!args.flag("json")) {
        print_text(info, layers, other);
        return kExitOk;
    }
    const ModelConfig& c = info.config;
    print_json({{"model", info.spec},
                {"source", info.source},
                {"synthetic", info.synthetic},
                {"architecture", c.architecture},
                {"parameters", info.parameters},
                {"dtype", info.stored_dtype},
                {"method", method_name(info.method)},
                {"weight_bytes", info.weight_bytes},
                {"config",
                 {{"hidden_size", c.hidden_size}, {"intermediate_size", c.intermediate_size},
                  {"num_layers", c.num_layers}, {"num_heads", c.num_heads}, {"num_kv_heads", c.num_kv_heads},
                  {"head_dim", c.head_dim}, {"vocab_size", c.vocab_size},
                  {"max_position_embeddings", c.max_position_embeddings}, {"rope_theta", c.rope_theta},
                  {"rms_norm_eps", c.rms_norm_eps}, {"tie_word_embeddings", c.tie_word_embeddings},
                  {"attention_bias", c.attention_bias}}},
                {"tokenizer", info.tokenizer_path},
                {"layers", layers},
                {"other_tensors", other}});
    return kExitOk;
}

}  // namespace qs::cli
