#include "eval/agreement.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace qs {

namespace {

constexpr size_t kContextTokens = 8;

// log-softmax of one logits row, in float (the reference's rows are kept for a whole window).
void log_softmax(const float* logits, int64_t n, float* out) {
    double max = logits[0];
    for (int64_t i = 1; i < n; ++i) max = std::max(max, double(logits[i]));
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += std::exp(double(logits[i]) - max);
    const double lse = max + std::log(sum);
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(double(logits[i]) - lse);
}

int32_t top1(const float* x, int64_t n) {
    return static_cast<int32_t>(std::max_element(x, x + n) - x);
}

// KL(p || q) = sum p (log p - log q), in double; log_p is the reference's log-softmax row.
double kl_divergence(const float* log_p, const float* candidate_logits, int64_t n) {
    double max = candidate_logits[0];
    for (int64_t i = 1; i < n; ++i) max = std::max(max, double(candidate_logits[i]));
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += std::exp(double(candidate_logits[i]) - max);
    const double lse = max + std::log(sum);
    double kl = 0;
    for (int64_t i = 0; i < n; ++i) {
        const double lp = log_p[i];
        kl += std::exp(lp) * (lp - (double(candidate_logits[i]) - lse));
    }
    return std::max(0.0, kl);  // rounding can leave a tiny negative
}

struct Tally {
    double nll = 0;
    int64_t scored = 0, agree = 0;
    std::vector<double> kl;
    std::vector<Disagreement> worst;  // kept sorted, largest first, at most worst_count
};

void keep_worst(std::vector<Disagreement>& worst, Disagreement d, int worst_count) {
    if (worst_count <= 0) return;
    if (static_cast<int>(worst.size()) == worst_count && d.kl <= worst.back().kl) return;
    auto at = std::upper_bound(worst.begin(), worst.end(), d.kl,
                               [](double kl, const Disagreement& w) { return kl > w.kl; });
    worst.insert(at, std::move(d));
    if (static_cast<int>(worst.size()) > worst_count) worst.pop_back();
}

}  // namespace

Result<std::vector<ModelAgreement>> compare_to_reference(const Model& reference,
                                                         const std::vector<const Model*>& candidates,
                                                         const EvaluationWindows& windows,
                                                         int worst_count, const Control& control) {
    return guarded([&] {
        const int64_t vocab = reference.config().vocab_size;
        for (const Model* c : candidates)
            if (c->config().vocab_size != vocab) fail("the models to compare have different vocabularies");
        std::vector<Tally> tallies(candidates.size() + 1);
        std::vector<ModelAgreement> out(candidates.size() + 1);
        std::vector<float> ref_logp;  // positions x vocab of the current window
        std::vector<int32_t> ref_top;
        const int64_t bos = windows.bos ? 1 : 0;
        const int64_t chunk = windows.window - bos;
        const int64_t steps = int64_t(windows.inputs.size()) * int64_t(candidates.size() + 1);

        for (size_t w = 0; w < windows.inputs.size(); ++w) {
            const std::vector<int32_t>& input = windows.inputs[w];
            std::vector<int64_t> positions(input.size() - 1);
            std::iota(positions.begin(), positions.end(), 0);
            // Without candidates only the reference's perplexity is needed.
            const bool keep = !candidates.empty();
            ref_logp.assign(keep ? positions.size() * size_t(vocab) : 0, 0.0f);
            ref_top.assign(positions.size(), 0);

            control.check();
            control.report("Accuracy: window " + std::to_string(w + 1) + "/" +
                               std::to_string(windows.inputs.size()) + ", fp32 reference",
                           int64_t(w) * int64_t(candidates.size() + 1), steps);
            Status s = reference.forward(input, positions, [&](int64_t p, const float* logits) {
                if (keep) log_softmax(logits, vocab, ref_logp.data() + p * vocab);
                ref_top[p] = top1(logits, vocab);
                tallies[0].nll += token_nll(logits, vocab, input[p + 1]);
                ++tallies[0].scored;
            });
            if (!s) fail(s.error().message);

            for (size_t c = 0; c < candidates.size(); ++c) {
                ModelAgreement& result = out[c + 1];
                if (!result.ok) continue;
                control.check();
                control.report("Accuracy: window " + std::to_string(w + 1) + "/" +
                                   std::to_string(windows.inputs.size()) + ", variant " +
                                   std::to_string(c + 1) + "/" + std::to_string(candidates.size()),
                               int64_t(w) * int64_t(candidates.size() + 1) + int64_t(c) + 1, steps);
                Tally& t = tallies[c + 1];
                Status cs = candidates[c]->forward(input, positions, [&](int64_t p, const float* logits) {
                    const float* ref_row = ref_logp.data() + p * vocab;
                    t.nll += token_nll(logits, vocab, input[p + 1]);
                    ++t.scored;
                    const int32_t top = top1(logits, vocab);
                    if (top == ref_top[p]) ++t.agree;
                    const double kl = kl_divergence(ref_row, logits, vocab);
                    t.kl.push_back(kl);
                    Disagreement d;
                    d.text_index = int64_t(w) * chunk + (p + 1) - bos;
                    const int64_t from = std::max<int64_t>(0, p + 1 - int64_t(kContextTokens));
                    d.context.assign(input.begin() + from, input.begin() + p + 1);
                    d.target = input[p + 1];
                    d.reference_top = ref_top[p];
                    d.candidate_top = top;
                    d.kl = kl;
                    keep_worst(t.worst, std::move(d), worst_count);
                });
                if (!cs) {
                    if (cs.error().cancelled) throw Cancelled();
                    result.ok = false;
                    result.error = cs.error().message;
                }
            }
        }
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (size_t i = 0; i < out.size(); ++i) {
            ModelAgreement& a = out[i];
            Tally& t = tallies[i];
            a.tokens_scored = t.scored;
            a.mean_nll = t.scored ? t.nll / double(t.scored) : nan;
            a.perplexity = std::exp(a.mean_nll);
            if (i == 0 || !a.ok || t.kl.empty()) {
                a.top1_agreement = a.kl_mean = a.kl_p99 = nan;
                if (!a.ok) a.perplexity = a.mean_nll = nan;
                continue;
            }
            a.top1_agreement = double(t.agree) / double(t.scored);
            a.kl_mean = std::accumulate(t.kl.begin(), t.kl.end(), 0.0) / double(t.kl.size());
            // P99 with linear interpolation between closest ranks (as bench/statistics.h).
            std::sort(t.kl.begin(), t.kl.end());
            const double h = double(t.kl.size() - 1) * 0.99;
            const size_t lo = size_t(h);
            const size_t hi = std::min(lo + 1, t.kl.size() - 1);
            a.kl_p99 = t.kl[lo] + (h - double(lo)) * (t.kl[hi] - t.kl[lo]);
            a.worst = std::move(t.worst);
        }
        return out;
    });
}

}  // namespace qs
