#pragma once
// Which matrices of a model a method quantizes, and the packed format it gives each one. Shared
// by the model builder and by the tests that check each method's error layer by layer.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/model_config.h"
#include "quant/buffer.h"
#include "quant/method.h"
#include "quant/packed_linear.h"

namespace qs {

// The name of every matrix of the model in order, and whether it is the embedding / LM head.
struct MatrixName {
    std::string name;
    bool embedding_or_head = false;
};
std::vector<MatrixName> matrix_names(const ModelConfig& config);

// Packs one FP32 matrix [out][in] as options.method does. The embedding / LM head stay FP32
// when asked, and are int8 under int4 (as llama.cpp keeps its output matrix at higher
// precision). fp32 is used in place (kept alive by the result) by the fp32 method.
std::unique_ptr<PackedLinear> pack_matrix(const QuantOptions& options, bool embedding_or_head,
                                          Buffer fp32, int64_t out, int64_t in);

// The weight bytes pack_matrix() gives an [out, in] matrix, from the shape alone (for the
// memory guard before loading, and the studio's predicted sizes before a run).
int64_t packed_matrix_bytes(const QuantOptions& options, int64_t out, int64_t in,
                            bool embedding_or_head);

}  // namespace qs
