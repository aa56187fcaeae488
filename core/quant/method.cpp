#include "quant/method.h"

namespace qs {

std::string method_name(Method m) {
    switch (m) {
        case Method::fp32: return "fp32";
        case Method::int8_dynamic: return "int8-dynamic";
        case Method::int8_weight_only: return "int8-weight-only";
        case Method::int4: return "int4";
        case Method::fp16: return "fp16";
        case Method::bf16: return "bf16";
    }
    return "unknown";
}

std::optional<Method> parse_method(std::string_view name) {
    for (Method m : all_methods())
        if (method_name(m) == name) return m;
    return std::nullopt;
}

const std::vector<Method>& all_methods() {
    static const std::vector<Method> methods = {Method::fp32, Method::int8_dynamic,
                                                Method::int8_weight_only, Method::int4,
                                                Method::fp16, Method::bf16};
    return methods;
}

std::string method_summary(Method m) {
    switch (m) {
        case Method::fp32: return "FP32 weights and activations (the baseline)";
        case Method::int8_dynamic:
            return "W8A8: int8 per-channel weights, activations quantized per token at run time";
        case Method::int8_weight_only:
            return "int8 per-channel weights, activations kept at FP32 precision (three int8 planes)";
        case Method::int4: return "4-bit group-wise weights, two per byte";
        case Method::fp16: return "weights stored as IEEE half precision";
        case Method::bf16: return "weights stored as bfloat16";
    }
    return "";
}

std::string validate(const QuantOptions& options) {
    if (options.method == Method::int4 && options.group_size != 32 && options.group_size != 64 &&
        options.group_size != 128)
        return "--group-size must be 32, 64 or 128 (got " + std::to_string(options.group_size) +
               ")";
    return {};
}

}  // namespace qs
