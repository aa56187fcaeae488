#include "model/attention.h"

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

// One query row: plain loops beat libtorch's per-op dispatch by a wide margin at m = 1.
void decode_attention(const AttentionShape& s, const float* q, const KvCache& cache,
                      int64_t layer, int64_t position, float* out) {
    const float* kc = cache.k[layer].data_ptr<float>();
    const float* vc = cache.v[layer].data_ptr<float>();
    const int64_t d = s.head_dim, group = s.heads / s.kv_heads;
    const int64_t first = s.sliding_window > 0 ? std::max<int64_t>(0, position - s.sliding_window + 1) : 0;
    const int64_t count = position + 1 - first;
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    const kern::Table& kernels = kern::active_table();
    parallel_for(0, s.heads, 1, [&](int64_t hb, int64_t he) {
        std::vector<float> scores(static_cast<size_t>(count));
        for (int64_t h = hb; h < he; ++h) {
            const float* qh = q + h * d;
            const float* kh = kc + ((h / group) * cache.capacity + first) * d;
            const float* vh = vc + ((h / group) * cache.capacity + first) * d;
            // q . k for every cached key: the cache rows are a [count][d] matrix, so this is
            // the FP32 GEMV kernel (a scalar dot product per key took 3.6% of int4 decode at
            // ~150 positions, the kernel 1.4%).
            kernels.f32_rows(kh, d, 0, count, qh, 1, scores.data(), count);
            float max_score = -std::numeric_limits<float>::infinity();
            for (int64_t t = 0; t < count; ++t) {
                scores[t] *= scale;
                max_score = std::max(max_score, scores[t]);
            }
            float sum = 0.0f;
            for (int64_t t = 0; t < count; ++t) {
                scores[t] = std::exp(scores[t] - max_score);
                sum += scores[t];
            }
            float* oh = out + h * d;
            std::fill(oh, oh + d, 0.0f);
            for (int64_t t = 0; t < count; ++t) {
                const float p = scores[t] / sum;
                for (int64_t i = 0; i < d; ++i) oh[i] += p * vh[t * d + i];
            }
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
