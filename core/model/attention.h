#pragma once
// Internal (libtorch). Causal grouped-query attention over the KV cache: query head j reads KV
// head j / (heads / kv_heads); scores scaled by 1/sqrt(head_dim); softmax in FP32.
#include <cstdint>

#include "model/kv_cache.h"

namespace qs {

struct AttentionShape {
    int64_t heads = 0;
    int64_t kv_heads = 0;
    int64_t head_dim = 0;
    int64_t sliding_window = 0;  // 0: attend to every earlier position
};

// q: [m, heads*head_dim] (RoPE applied); k, v: [m, kv_heads*head_dim] for positions
// [cache.length, cache.length + m), appended to layer `layer` of the cache (the caller advances
// cache.length after the last layer). out: [m, heads*head_dim].
void attention(const AttentionShape& shape, const float* q, const float* k, const float* v,
               int64_t m, KvCache& cache, int64_t layer, float* out);

}  // namespace qs
