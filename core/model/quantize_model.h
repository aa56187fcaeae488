#pragma once
// Quantizing a model to a self-describing folder: config.json with a "quantization_config"
// section, model.safetensors holding each matrix's codes and scales (in their runtime layout,
// int4 as separate arrays that loading puts side by side per row), and the tokenizer files.
// Loading that folder runs the quantized weights as stored, so its logits are bit-identical to
// the model quantized in memory.
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "model/model.h"

namespace qs {

struct QuantizeReport {
    std::string model;           // the spec given
    std::string output;          // the folder written
    Method method = Method::fp32;
    std::string method_detail;
    int64_t original_weight_bytes = 0;   // the source's weights as stored
    int64_t fp32_weight_bytes = 0;       // the same weights in FP32
    int64_t quantized_weight_bytes = 0;  // the saved model's weights
    int64_t file_bytes = 0;              // model.safetensors on disk
    double seconds = 0;                  // load + quantize + save
    std::vector<TensorInfo> tensors;     // every weight with its format
    int64_t tensors_quantized = 0;       // matrices not kept in FP32
};

// Writes a loaded model to out_dir through a temporary folder renamed at the end; a failure or
// a cancel leaves nothing behind. An existing out_dir is replaced only when `overwrite`.
Status save_model(const Model& model, const std::string& out_dir, bool overwrite,
                  const Control& control = {});

// Loads spec quantized with `options` (layer by layer) and saves it to out_dir.
Result<QuantizeReport> quantize_model(const std::string& spec, const LoadOptions& options,
                                      const std::string& out_dir, bool overwrite,
                                      const Control& control = {});

}  // namespace qs
