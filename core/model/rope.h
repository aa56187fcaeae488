#pragma once
// Rotary position embeddings in Hugging Face's rotate_half convention: within each head, x[i]
// pairs with x[i + d/2], rotated by pos * inv_freq[i], inv_freq[i] = 1 / theta^(2i/d).
// (llama2.c checkpoints are served with permuted q/k rows so this convention fits them too.)
#include <cstdint>
#include <vector>

namespace qs {

class RopeTable {
public:
    // Precomputes cos/sin for positions [0, max_positions): immutable afterwards, so sessions
    // on different threads share it without locks.
    RopeTable(int64_t head_dim, double theta, int64_t max_positions);

    int64_t max_positions() const { return max_positions_; }

    // Rotates n_heads heads of each of m rows in place; row r is at position position0 + r.
    void apply(float* x, int64_t m, int64_t n_heads, int64_t position0) const;

private:
    int64_t head_dim_;
    int64_t max_positions_;
    std::vector<float> cos_, sin_;  // [position][head_dim / 2]
};

}  // namespace qs
