#pragma once
// The quantization section a Quantscope-quantized folder carries in its config.json:
//   "quantization_config": {"quant_method": "quantscope", "format_version": 1,
//     "method": "int4", "group_size": 32, "quantize_embeddings": true,
//     "tensors": {"model.layers.0.self_attn.q_proj.weight": {<format spec>}, ...}}
// Matrices listed there are loaded as stored (never through FP32); others are FP32.
#include <map>
#include <optional>
#include <string>

#include "quant/method.h"

namespace qs {

struct QuantizationSection {
    QuantOptions options;
    std::map<std::string, std::string> tensors;  // name -> format spec JSON
};

constexpr int kQuantizedFormatVersion = 1;

// Returns nullopt when config.json has no quantization_config; throws Failure (naming path) for
// a foreign or malformed section (e.g. GPTQ/AWQ checkpoints, which we cannot run).
std::optional<QuantizationSection> read_quantization_section(const std::string& config_text,
                                                             const std::string& path);

// The JSON object text of a section, for writing into config.json.
std::string quantization_section_json(const QuantizationSection& section);

}  // namespace qs
