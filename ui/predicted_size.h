#pragma once
// The weight size each method would give a model, computed from its tensor shapes alone (before
// anything is quantized) with the storage layout of core's packed formats. The studio labels
// these "predicted" until a run measures the real size.
#include <cstdint>

#include "model/model.h"
#include "quant/method.h"

namespace qs::ui {

// Bytes of one [out, in] matrix under a method (embedding_or_head: the token embedding or LM
// head, which int4 keeps at int8 and quantize_embeddings=false keeps at fp32).
int64_t predicted_matrix_bytes(const QuantOptions& options, int64_t out, int64_t in,
                               bool embedding_or_head);

// Bytes of all weights of the model: matrices by the method, vectors (norms, biases) in fp32.
int64_t predicted_weight_bytes(const ModelInfo& info, const QuantOptions& options);

}  // namespace qs::ui
