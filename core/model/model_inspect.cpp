#include <nlohmann/json.hpp>

#include "formats/dtype.h"
#include "formats/model_locator.h"
#include "model/model.h"
#include "model/weight_check.h"
#include "tokenizer/tokenizer.h"

namespace qs {

namespace {

// The stored description of a matrix of a quantized folder: the "format" of its spec.
std::string stored_format(const LocatedModel& located, const std::string& name, const std::string& dtype) {
    if (!located.quantization) return dtype;
    auto it = located.quantization->tensors.find(name);
    if (it == located.quantization->tensors.end()) return dtype;
    const nlohmann::json spec = nlohmann::json::parse(it->second, nullptr, false);
    if (spec.is_object() && spec.contains("format") && spec["format"].is_string())
        return spec["format"].get<std::string>();
    return dtype;
}

}  // namespace

Result<ModelInfo> Model::inspect(const std::string& spec, const std::string& tokenizer) {
    return guarded([&] {
        LocatedModel located = locate_model(spec);
        const WeightSource& source = *located.source;
        // The card shown for a model promises it loads: its tensors must match its config.
        check_weights(source, located.quantization ? &located.quantization->tensors : nullptr);
        ModelInfo info;
        info.spec = spec;
        info.path = located.path;
        info.source = located.kind;
        info.description = source.description();
        info.synthetic = located.kind == "synthetic";
        info.config = source.config();
        info.stored_dtype = source.stored_dtype();
        info.parameters = info.config.parameter_count();
        info.stored_weight_bytes = source.stored_bytes();
        info.weight_bytes = info.stored_weight_bytes;
        if (located.quantization) {
            info.quant = located.quantization->options;
            info.method = info.quant.method;
        }
        for (const std::string& name : source.names()) {
            const std::vector<int64_t> shape = source.shape(name);
            const std::string dtype = source.dtype(name);
            int64_t bytes = static_cast<int64_t>(dtype_element_size(dtype));
            for (int64_t d : shape) bytes *= d;
            info.tensors.push_back({name, shape, stored_format(located, name, dtype), bytes});
        }
        const std::string tok = !tokenizer.empty() ? tokenizer : located.tokenizer_path;
        if (!tok.empty()) {
            auto t = load_tokenizer(tok);
            if (!t) fail(t.error().message);
            info.tokenizer_path = (*t)->source();
        }
        return info;
    });
}

}  // namespace qs
