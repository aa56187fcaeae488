#include "predicted_size.h"

#include "quant/method_formats.h"

namespace qs::ui {

int64_t predicted_weight_bytes(const ModelInfo& info, const QuantOptions& options) {
    int64_t total = 0;
    for (const TensorInfo& t : info.tensors) {
        if (t.shape.size() == 2) {
            const bool special = t.name.find("embed_tokens") != std::string::npos ||
                                 t.name.find("lm_head") != std::string::npos;
            total += packed_matrix_bytes(options, t.shape[0], t.shape[1], special);
        } else {
            int64_t n = 1;
            for (int64_t d : t.shape) n *= d;
            total += n * 4;
        }
    }
    return total;
}

}  // namespace qs::ui
