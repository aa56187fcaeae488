#include "quant/method_formats.h"

#include "common/result.h"
#include "quant/formats.h"

namespace qs {

std::vector<MatrixName> matrix_names(const ModelConfig& c) {
    std::vector<MatrixName> names{{"model.embed_tokens.weight", true}};
    for (int64_t l = 0; l < c.num_layers; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        for (const char* m : {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                              "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"})
            names.push_back({p + m + ".weight", false});
    }
    if (!c.tie_word_embeddings) names.push_back({"lm_head.weight", true});
    return names;
}

std::unique_ptr<PackedLinear> pack_matrix(const QuantOptions& options, bool embedding_or_head,
                                          Buffer fp32, int64_t out, int64_t in) {
    Method method = options.method;
    if (embedding_or_head && !options.quantize_embeddings) method = Method::fp32;
    const float* w = fp32.as<float>();
    switch (method) {
        case Method::fp32: return make_fp32_linear(std::move(fp32), out, in);
        case Method::fp16: return make_half_linear(w, out, in, false);
        case Method::bf16: return make_half_linear(w, out, in, true);
        case Method::int8_weight_only: return make_int8_linear(w, out, in, Int8Mode::weight_only);
        case Method::int8_dynamic: return make_int8_linear(w, out, in, Int8Mode::dynamic);
        case Method::int4:
            if (embedding_or_head) return make_int8_linear(w, out, in, Int8Mode::dynamic);
            Int4Options int4;
            int4.group_size = options.group_size;
            return make_int4_linear(w, out, in, int4);
    }
    fail("unknown method");
}

int64_t packed_matrix_bytes(const QuantOptions& options, int64_t out, int64_t in,
                            bool embedding_or_head) {
    Method m = options.method;
    if (embedding_or_head && !options.quantize_embeddings) m = Method::fp32;
    if (embedding_or_head && m == Method::int4) m = Method::int8_dynamic;
    switch (m) {
        case Method::fp32: return out * in * 4;
        case Method::fp16:
        case Method::bf16: return out * in * 2;
        case Method::int8_dynamic:
        case Method::int8_weight_only: return out * (in + 4);  // int8 values, FP32 scale per row
        case Method::int4: {
            // Rows padded to whole groups, two values a byte, per group an FP16 scale and, for
            // asymmetric groups, an FP16 minimum; the scheme is the one pack_matrix uses.
            const Int4Options int4;
            const int64_t g = options.group_size > 0 ? options.group_size : 1;
            const int64_t groups = (in + g - 1) / g;
            const int64_t per_group = g / 2 + (int4.scheme == Int4Scheme::asymmetric ? 4 : 2);
            return out * groups * per_group;
        }
    }
    return out * in * 4;
}

}  // namespace qs
