#pragma once
// The weight size each method would give a model, computed from its tensor shapes alone (before
// anything is quantized) with the storage layout of core's packed formats. The studio labels
// these "predicted" until a run measures the real size. Matrices: qs::packed_matrix_bytes.
#include <cstdint>

#include "model/model.h"
#include "quant/method.h"

namespace qs::ui {

// Bytes of all weights of the model: matrices by the method, vectors (norms, biases) in fp32.
int64_t predicted_weight_bytes(const ModelInfo& info, const QuantOptions& options);

}  // namespace qs::ui
