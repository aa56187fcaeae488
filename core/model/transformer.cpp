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

// One layer's intermediate rows, allocated once per forward call and reused by every layer
// (each layer overwrites every one of them before reading it). A decode step used to allocate
// and zero-fill these eight arrays in each layer, work on one thread while the others wait;
// together with forward_last, decode of Qwen2.5-0.5B-shaped weights on an Intel Xeon got
// faster, the two alternating token by token in one process (membw, 200 tokens, median token
// time): int4 3.0-4.2% on two threads and 4.3-5.1% on one, int8-dynamic 1.3-1.5% (two),
// int8 weight-only 0.8-1.0% (two) and 0.5% (one), fp32 0-0.5%.
struct Transformer::Activations {
    std::vector<float> normed, q, k, v, context, out, gate, up;
    Activations(const ModelConfig& c, int64_t m)
        : normed(m * c.hidden_size),
          q(m * c.q_dim()),
          k(m * c.kv_dim()),
          v(m * c.kv_dim()),
          context(m * c.q_dim()),
          out(m * c.hidden_size),
          gate(m * c.intermediate_size),
          up(m * c.intermediate_size) {}
};

void Transformer::run_layer(const LayerWeights& w, int64_t layer, float* x, int64_t m,
                            KvCache& cache, Activations& a) const {
    const ModelConfig& c = config;
    const int64_t h = c.hidden_size, qd = c.q_dim(), kvd = c.kv_dim(), inter = c.intermediate_size;

    ops::rms_norm(x, w.input_norm.data(), a.normed.data(), m, h,
                  static_cast<float>(c.rms_norm_eps));
    forward_shared_input(
        a.normed.data(), m,
        {{w.q.get(), a.q.data()}, {w.k.get(), a.k.data()}, {w.v.get(), a.v.data()}});
    if (!w.q_bias.empty()) {
        ops::add_bias(a.q.data(), w.q_bias.data(), m, qd);
        ops::add_bias(a.k.data(), w.k_bias.data(), m, kvd);
        ops::add_bias(a.v.data(), w.v_bias.data(), m, kvd);
    }
    rope_.apply(a.q.data(), m, c.num_heads, cache.length);
    rope_.apply(a.k.data(), m, c.num_kv_heads, cache.length);
    const AttentionShape shape{c.num_heads, c.num_kv_heads, c.head_dim, c.sliding_window};
    attention(shape, a.q.data(), a.k.data(), a.v.data(), m, cache, layer, a.context.data());
    w.o->forward(a.context.data(), m, a.out.data());
    ops::add_inplace(x, a.out.data(), m * h);

    ops::rms_norm(x, w.post_attention_norm.data(), a.normed.data(), m, h,
                  static_cast<float>(c.rms_norm_eps));
    forward_shared_input(a.normed.data(), m,
                         {{w.gate.get(), a.gate.data()}, {w.up.get(), a.up.data()}});
    ops::silu_mul(a.gate.data(), a.up.data(), m * inter);
    w.down->forward(a.gate.data(), m, a.out.data());
    ops::add_inplace(x, a.out.data(), m * h);
}

void Transformer::forward(const int32_t* ids, int64_t m, KvCache& cache,
                          const std::vector<int64_t>& logit_rows, const LogitsSink& sink) const {
    const int64_t vocab = config.vocab_size;
    std::vector<float> logits(std::min<size_t>(kLogitRowsPerBlock, logit_rows.size()) * vocab);
    run(ids, m, cache, logit_rows, logits.data(), [&](size_t first, int64_t n) {
        for (int64_t i = 0; i < n; ++i) sink(logit_rows[first + i], logits.data() + i * vocab);
    });
}

void Transformer::forward_last(const int32_t* ids, int64_t m, KvCache& cache, float* logits) const {
    run(ids, m, cache, {m - 1}, logits, [](size_t, int64_t) {});
}

void Transformer::run(const int32_t* ids, int64_t m, KvCache& cache,
                      const std::vector<int64_t>& logit_rows, float* logits,
                      const std::function<void(size_t first, int64_t n)>& written) const {
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
        Activations a(config, m);
        for (size_t l = 0; l < layers.size(); ++l)
            run_layer(layers[l], static_cast<int64_t>(l), x.data(), m, cache, a);
        cache.length += m;
    };
    // Final norm and LM head only for the rows asked for, a block at a time.
    std::vector<float> rows;
    const auto head = [&](size_t first, int64_t n) {
        rows.resize(n * h);
        for (int64_t i = 0; i < n; ++i)
            ops::rms_norm(x.data() + logit_rows[first + i] * h, final_norm.data(),
                          rows.data() + i * h, 1, h, static_cast<float>(config.rms_norm_eps));
        lm_head->forward(rows.data(), n, logits);
    };
    if (m == 1) {
        // A decode step is ~120 short parallel regions (every projection, attention, the LM
        // head): one team runs them all (see run_as_team). Not for prefill, whose BLAS-sized
        // work may go through ATen's own parallel operations.
        run_as_team([&] {
            run_layers();
            if (!logit_rows.empty()) head(0, 1);
        });
        if (!logit_rows.empty()) written(0, 1);
        return;
    }
    run_layers();
    for (size_t first = 0; first < logit_rows.size(); first += kLogitRowsPerBlock) {
        const int64_t n = std::min<int64_t>(kLogitRowsPerBlock, logit_rows.size() - first);
        head(first, n);
        written(first, n);
    }
}

}  // namespace qs
