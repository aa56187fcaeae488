#pragma once
// Internal (libtorch via KvCache). The decoder: embeddings, per layer RMSNorm -> q/k/v (+bias)
// -> RoPE -> grouped-query attention -> o, residual, RMSNorm -> SwiGLU MLP, residual; final norm
// and LM head. Every matrix is a PackedLinear, so FP32 and every quantization method share this
// code and differ only in their weight formats and kernels.
#include <functional>
#include <memory>
#include <vector>

#include "model/kv_cache.h"
#include "model/model_config.h"
#include "model/rope.h"
#include "quant/packed_linear.h"

namespace qs {

struct LayerWeights {
    std::vector<float> input_norm, post_attention_norm;
    std::shared_ptr<PackedLinear> q, k, v, o, gate, up, down;
    std::vector<float> q_bias, k_bias, v_bias;  // empty when the architecture has none
};

// Receives the logits of one requested row (vocab_size floats, valid during the call).
using LogitsSink = std::function<void(int64_t row, const float* logits)>;

class Transformer {
public:
    explicit Transformer(ModelConfig config);

    ModelConfig config;
    std::shared_ptr<PackedLinear> embedding;  // [vocab, hidden]
    std::shared_ptr<PackedLinear> lm_head;    // the embedding itself when tied
    std::vector<float> final_norm;
    std::vector<LayerWeights> layers;

    // Runs ids at positions [cache.length, cache.length + m), appends them to the cache, and
    // passes the logits of each row listed in logit_rows (ascending, in [0, m)) to sink.
    void forward(const int32_t* ids, int64_t m, KvCache& cache,
                 const std::vector<int64_t>& logit_rows, const LogitsSink& sink) const;

    // forward for a session's step: the logits of the last row only, written by the LM head
    // straight into `logits` (vocab_size floats), with no vocabulary-sized buffer of its own
    // to fill and copy (2 x 600 KB a token for Qwen2.5's 151936 entries).
    void forward_last(const int32_t* ids, int64_t m, KvCache& cache, float* logits) const;

    int64_t max_positions() const { return rope_.max_positions(); }

private:
    struct Activations;
    // forward's body. The LM head writes the logits of up to kLogitRowsPerBlock requested rows
    // at a time into `logits`, then calls written(first, n): they are those of logit_rows
    // [first, first + n).
    void run(const int32_t* ids, int64_t m, KvCache& cache, const std::vector<int64_t>& logit_rows,
             float* logits, const std::function<void(size_t first, int64_t n)>& written) const;
    void run_layer(const LayerWeights& w, int64_t layer, float* x, int64_t m, KvCache& cache,
                   Activations& a) const;

    RopeTable rope_;
};

}  // namespace qs
