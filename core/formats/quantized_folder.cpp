#include "formats/quantized_folder.h"

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace qs {

std::optional<QuantizationSection> read_quantization_section(const std::string& config_text,
                                                             const std::string& path) {
    nlohmann::json j = nlohmann::json::parse(config_text, nullptr, false);
    if (j.is_discarded()) fail(path + ": not valid JSON");
    if (!j.is_object()) fail(path + ": not a JSON object");
    if (!j.contains("quantization_config") || j["quantization_config"].is_null()) return std::nullopt;
    const nlohmann::json& q = j["quantization_config"];
    if (!q.is_object()) fail(path + ": quantization_config is not an object");
    const std::string kind = q.contains("quant_method") && q["quant_method"].is_string()
                                 ? q["quant_method"].get<std::string>()
                                 : std::string("unknown");
    if (kind != "quantscope")
        fail(path + ": quantization_config of type \"" + kind +
             "\" is not supported (only FP32/FP16/BF16 checkpoints and Quantscope's own output)");
    if (!q.contains("format_version") || !q["format_version"].is_number_integer() ||
        q["format_version"].get<int>() != kQuantizedFormatVersion)
        fail(path + ": unsupported Quantscope format version (this build reads version " +
             std::to_string(kQuantizedFormatVersion) + ")");
    QuantizationSection section;
    if (!q.contains("method") || !q["method"].is_string()) fail(path + ": quantization_config has no method");
    const auto method = parse_method(q["method"].get<std::string>());
    if (!method) fail(path + ": unknown quantization method \"" + q["method"].get<std::string>() + "\"");
    section.options.method = *method;
    if (q.contains("group_size") && !q["group_size"].is_null()) {
        if (!q["group_size"].is_number_integer())
            fail(path + ": quantization_config group_size must be an integer");
        section.options.group_size = q["group_size"].get<int>();
    }
    const int g = section.options.group_size;
    if (section.options.method == Method::int4 && g != 32 && g != 64 && g != 128)
        fail(path + ": quantization_config group_size must be 32, 64 or 128 (got " +
             std::to_string(g) + ")");
    if (q.contains("quantize_embeddings") && q["quantize_embeddings"].is_boolean())
        section.options.quantize_embeddings = q["quantize_embeddings"].get<bool>();
    if (!q.contains("tensors") || !q["tensors"].is_object())
        fail(path + ": quantization_config has no tensors table");
    for (auto it = q["tensors"].begin(); it != q["tensors"].end(); ++it) {
        if (!it.value().is_object()) fail(path + ": format of tensor '" + it.key() + "' is not an object");
        section.tensors[it.key()] = it.value().dump();
    }
    return section;
}

std::string quantization_section_json(const QuantizationSection& section) {
    nlohmann::json q;
    q["quant_method"] = "quantscope";
    q["format_version"] = kQuantizedFormatVersion;
    q["method"] = method_name(section.options.method);
    if (section.options.method == Method::int4) q["group_size"] = section.options.group_size;
    q["quantize_embeddings"] = section.options.quantize_embeddings;
    nlohmann::json tensors = nlohmann::json::object();
    for (const auto& [name, spec] : section.tensors) tensors[name] = nlohmann::json::parse(spec);
    q["tensors"] = tensors;
    return q.dump();
}

}  // namespace qs
