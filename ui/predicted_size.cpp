#include "predicted_size.h"

namespace qs::ui {

int64_t predicted_matrix_bytes(const QuantOptions& options, int64_t out, int64_t in,
                               bool embedding_or_head) {
    Method m = options.method;
    if (embedding_or_head && !options.quantize_embeddings) m = Method::fp32;
    if (embedding_or_head && m == Method::int4) m = Method::int8_dynamic;
    switch (m) {
        case Method::fp32: return out * in * 4;
        case Method::fp16:
        case Method::bf16: return out * in * 2;
        // one int8 per weight plus an fp32 scale per output row
        case Method::int8_dynamic:
        case Method::int8_weight_only: return out * (in + 4);
        case Method::int4: {
            // rows padded to whole groups, two weights per byte, fp16 scale and min per group
            const int64_t g = options.group_size;
            const int64_t groups = (in + g - 1) / g;
            return out * (groups * g / 2 + groups * 4);
        }
    }
    return out * in * 4;
}

int64_t predicted_weight_bytes(const ModelInfo& info, const QuantOptions& options) {
    int64_t total = 0;
    for (const TensorInfo& t : info.tensors) {
        if (t.shape.size() == 2) {
            const bool special = t.name.find("embed_tokens") != std::string::npos ||
                                 t.name.find("lm_head") != std::string::npos;
            total += predicted_matrix_bytes(options, t.shape[0], t.shape[1], special);
        } else {
            int64_t n = 1;
            for (int64_t d : t.shape) n *= d;
            total += n * 4;
        }
    }
    return total;
}

}  // namespace qs::ui
