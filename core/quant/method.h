#pragma once
// The quantization methods a user picks. One name each, the same in core, CLI and studio.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qs {

enum class Method { fp32, int8_dynamic, int8_weight_only, int4, fp16, bf16 };

std::string method_name(Method m);                        // "int8-dynamic", ...
std::optional<Method> parse_method(std::string_view name);  // inverse of method_name
const std::vector<Method>& all_methods();
std::string method_summary(Method m);  // one line for --help and tooltips

struct QuantOptions {
    Method method = Method::fp32;
    int group_size = 32;              // int4 only: 32, 64 or 128
    bool quantize_embeddings = true;  // false keeps the token embedding and LM head in FP32
};

// Empty when valid, else a one-line reason (e.g. an unsupported group size).
std::string validate(const QuantOptions& options);

}  // namespace qs
