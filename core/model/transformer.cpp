#include "model/transformer.h"

#include <algorithm>

#include "common/parallel.h"
#include "common/result.h"
#include "model/attention.h"
#include "model/ops.h"

namespace qs {

namespace {

// RoPE tables cover the model's context, capped so a 1M-context config does not cost 100s of MB.
constexpr int64_t kMaxRopePositions = 1 << 17;

// Rows of the LM head computed per call: bounds the logits buffer for large vocabularies.
constexpr int64_t kLogitRowsPerBlock = 32;

}  // namespace

Transformer::Transformer(ModelConfig c)
    : config(std::move(c)),
      rope_(config.head_dim, config.rope_theta,
            std::min(config.max_position_embeddings, kMaxRopePositions)) {}

void Transformer::run_layer(const LayerWeights& w, int64_t layer, float* x, int64_t m,
                            KvCache& cache) const {
    const ModelConfig& c = config;
    const int64_t h = c.hidden_size, qd = c.q_dim(), kvd = c.kv_dim(), inter = c.intermediate_size;
    std::vector<float> normed(m * h), q(m * qd), k(m * kvd), v(m * kvd), context(m * qd), out(m * h);

    ops::rms_norm(x, w.input_norm.data(), normed.data(), m, h, static_cast<float>(c.rms_norm_eps));
    forward_shared_input(normed.data(), m,
                         {{w.q.get(), q.data()}, {w.k.get(), k.data()}, {w.v.get(), v.data()}});
    if (!w.q_bias.empty()) {
        ops::add_bias(q.data(), w.q_bias.data(), m, qd);
        ops::add_bias(k.data(), w.k_bias.data(), m, kvd);
        ops::add_bias(v.data(), w.v_bias.data(), m, kvd);
    }
    rope_.apply(q.data(), m, c.num_heads, cache.length);
    rope_.apply(k.data(), m, c.num_kv_heads, cache.length);
    const AttentionShape shape{c.num_heads, c.num_kv_heads, c.head_dim, c.sliding_window};
    attention(shape, q.data(), k.data(), v.data(), m, cache, layer, context.data());
    w.o->forward(context.data(), m, out.data());
    ops::add_inplace(x, out.data(), m * h);

    ops::rms_norm(x, w.post_attention_norm.data(), normed.data(), m, h,
                  static_cast<float>(c.rms_norm_eps));
    std::vector<float> gate(m * inter), up(m * inter);
    forward_shared_input(normed.data(), m, {{w.gate.get(), gate.data()}, {w.up.get(), up.data()}});
    ops::silu_mul(gate.data(), up.data(), m * inter);
    w.down->forward(gate.data(), m, out.data());
    ops::add_inplace(x, out.data(), m * h);
}

void Transformer::forward(const int32_t* ids, int64_t m, KvCache& cache,
                          const std::vector<int64_t>& logit_rows, const LogitsSink& sink) const {
    const int64_t h = config.hidden_size;
    if (m <= 0) return;
    if (cache.length + m > cache.capacity)
        fail("the sequence needs " + std::to_string(cache.length + m) +
             " positions but the session holds " + std::to_string(cache.capacity));
    if (cache.length + m > max_positions())
        fail("the sequence is longer than the model's " + std::to_string(max_positions()) +
             " positions");
    std::vector<float> x(m * h);
    for (int64_t r = 0; r < m; ++r) {
        if (ids[r] < 0 || ids[r] >= config.vocab_size)
            fail("token id " + std::to_string(ids[r]) + " is outside the vocabulary (0.." +
                 std::to_string(config.vocab_size - 1) + ")");
        embedding->dequantize_row(ids[r], x.data() + r * h);
    }
    const auto run_layers = [&] {
        for (size_t l = 0; l < layers.size(); ++l)
            run_layer(layers[l], static_cast<int64_t>(l), x.data(), m, cache);
        cache.length += m;
    };
    // Final norm and LM head only for the rows asked for, a block at a time.
    const int64_t vocab = config.vocab_size;
    std::vector<float> rows, logits;
    const auto head = [&](size_t first, int64_t n) {
        rows.resize(n * h);
        for (int64_t i = 0; i < n; ++i)
            ops::rms_norm(x.data() + logit_rows[first + i] * h, final_norm.data(),
                          rows.data() + i * h, 1, h, static_cast<float>(config.rms_norm_eps));
        logits.resize(n * vocab);
        lm_head->forward(rows.data(), n, logits.data());
    };
    if (m == 1) {
        // A decode step is ~120 short parallel regions (every projection, attention, the LM
        // head): one team runs them all (see run_as_team). Not for prefill, whose BLAS-sized
        // work may go through ATen's own parallel operations.
        run_as_team([&] {
            run_layers();
            if (!logit_rows.empty()) head(0, 1);
        });
        if (!logit_rows.empty()) sink(logit_rows[0], logits.data());
        return;
    }
    run_layers();
    for (size_t first = 0; first < logit_rows.size(); first += kLogitRowsPerBlock) {
        const int64_t n = std::min<int64_t>(kLogitRowsPerBlock, logit_rows.size() - first);
        head(first, n);
        for (int64_t i = 0; i < n; ++i) sink(logit_rows[first + i], logits.data() + i * vocab);
    }
}

}  // namespace qs
