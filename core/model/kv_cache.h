#pragma once
// Internal (libtorch). Keys and values of every layer, laid out [kv_heads, capacity, head_dim]
// so that one head's history is contiguous for the decode loop and a strided view for bmm.
#include <ATen/ATen.h>

#include <vector>

#include "model/model_config.h"

namespace qs {

struct KvCache {
    KvCache(const ModelConfig& config, int64_t capacity);

    std::vector<at::Tensor> k, v;  // per layer
    int64_t capacity = 0;
    int64_t length = 0;  // positions filled

    int64_t bytes() const;
};

}  // namespace qs
