#include "model/model_config.h"

namespace qs {

int64_t ModelConfig::parameter_count() const {
    const int64_t h = hidden_size;
    int64_t per_layer = h * q_dim() + 2 * h * kv_dim() + q_dim() * h  // q, k, v, o
                        + 3 * h * intermediate_size                   // gate, up, down
                        + 2 * h;                                      // two norms
    if (attention_bias) per_layer += q_dim() + 2 * kv_dim();
    int64_t total = num_layers * per_layer + vocab_size * h + h;  // + embedding, final norm
    if (!tie_word_embeddings) total += vocab_size * h;
    return total;
}

}  // namespace qs
