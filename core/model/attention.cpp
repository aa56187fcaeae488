#include "model/attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "common/parallel.h"
#include "kernels/kernels.h"

namespace qs {

namespace {

void append_to_cache(const AttentionShape& s, const float* k, const float* v, int64_t m,
                     KvCache& cache, int64_t layer) {
    float* kc = cache.k[layer].data_ptr<float>();
    float* vc = cache.v[layer].data_ptr<float>();
    const int64_t d = s.head_dim;
    for (int64_t r = 0; r < m; ++r)
        for (int64_t h = 0; h < s.kv_heads; ++h) {
            const int64_t dst = (h * cache.capacity + cache.length + r) * d;
            std::memcpy(kc + dst, k + (r * s.kv_heads + h) * d, d * sizeof(float));
            std::memcpy(vc + dst, v + (r * s.kv_heads + h) * d, d * sizeof(float));
        }
}

// One query row: per KV head, its group of query heads in one kernel call (kern::Table::attend),
// so the group's keys and values stream once per four heads instead of once per head. The work
// is split by (KV head, block of up to four query heads); each result is independent of the
// thread count. One head at a time in plain loops (GEMV kernel for q.k, libm exp, a scalar sum
// of v) it was 11.5% of the time of tokens 200-500 of a one-thread int4 Qwen2.5-0.5B-shaped
// generation (perf samples); this is 6.4%.
void decode_attention(const AttentionShape& s, const float* q, const KvCache& cache,
                      int64_t layer, int64_t position, float* out) {
    const float* kc = cache.k[layer].data_ptr<float>();
    const float* vc = cache.v[layer].data_ptr<float>();
    const int64_t d = s.head_dim, group = s.heads / s.kv_heads;
    const int64_t first = s.sliding_window > 0 ? std::max<int64_t>(0, position - s.sliding_window + 1) : 0;
    const int64_t count = position + 1 - first;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const kern::Table& kernels = kern::active_table();
    const int64_t blocks_per_group = (group + kern::kMaxRows - 1) / kern::kMaxRows;
    parallel_for(0, s.kv_heads * blocks_per_group, 1, [&](int64_t b0, int64_t b1) {
        std::vector<float> scratch(static_cast<size_t>(kern::kMaxRows * count));
        for (int64_t b = b0; b < b1; ++b) {
            const int64_t kv = b / blocks_per_group, h0 = kv * group + (b % blocks_per_group) * kern::kMaxRows;
            const int64_t heads = std::min<int64_t>(kern::kMaxRows, (kv + 1) * group - h0);
            const int64_t offset = (kv * cache.capacity + first) * d;
            kernels.attend(q + h0 * d, heads, kc + offset, vc + offset, count, d, scale,
                           scratch.data(), out + h0 * d);
        }
    });
}

// Several query rows: batched matrix products, where libtorch (BLAS) is fast. Query heads of
// one KV group are stacked so that no expanded copy of K/V is made.
void prefill_attention(const AttentionShape& s, const float* q, const KvCache& cache,
                       int64_t layer, int64_t m, int64_t position0, float* out) {
    const int64_t d = s.head_dim, group = s.heads / s.kv_heads, total = position0 + m;
    const at::Tensor qt = at::from_blob(const_cast<float*>(q), {m, s.kv_heads, group, d}, at::kFloat)
                              .permute({1, 2, 0, 3})
                              .reshape({s.kv_heads, group * m, d});
    const at::Tensor keys = cache.k[layer].narrow(1, 0, total);
    const at::Tensor values = cache.v[layer].narrow(1, 0, total);
    at::Tensor scores = at::bmm(qt, keys.transpose(1, 2)).mul_(1.0 / std::sqrt(static_cast<double>(d)));

    // mask[r][t] = -inf where key t is in the future of query row r (or outside the window).
    const at::Tensor rows = at::arange(position0, total, at::kLong).unsqueeze(1);
    const at::Tensor cols = at::arange(0, total, at::kLong).unsqueeze(0);
    at::Tensor blocked = cols > rows;
    if (s.sliding_window > 0) blocked = blocked.logical_or(cols <= rows - s.sliding_window);
    scores = scores.view({s.kv_heads, group, m, total})
                 .masked_fill_(blocked, -std::numeric_limits<float>::infinity());
    const at::Tensor probs = at::softmax(scores, -1).view({s.kv_heads, group * m, total});
    const at::Tensor context = at::bmm(probs, values)  // [kv_heads, group*m, d]
                                   .view({s.kv_heads, group, m, d})
                                   .permute({2, 0, 1, 3})
                                   .contiguous();
    std::memcpy(out, context.data_ptr<float>(), static_cast<size_t>(m * s.heads * d) * sizeof(float));
}

}  // namespace

void attention(const AttentionShape& shape, const float* q, const float* k, const float* v,
               int64_t m, KvCache& cache, int64_t layer, float* out) {
    append_to_cache(shape, k, v, m, cache, layer);
    if (m == 1)
        decode_attention(shape, q, cache, layer, cache.length, out);
    else
        prefill_attention(shape, q, cache, layer, m, cache.length, out);
}

}  // namespace qs
