#include "model/kv_cache.h"

namespace qs {

KvCache::KvCache(const ModelConfig& config, int64_t cap) : capacity(cap) {
    for (int64_t l = 0; l < config.num_layers; ++l) {
        k.push_back(at::zeros({config.num_kv_heads, cap, config.head_dim}, at::kFloat));
        v.push_back(at::zeros({config.num_kv_heads, cap, config.head_dim}, at::kFloat));
    }
}

int64_t KvCache::bytes() const {
    int64_t total = 0;
    for (const auto& t : k) total += t.numel() * 4;
    for (const auto& t : v) total += t.numel() * 4;
    return total;
}

}  // namespace qs
