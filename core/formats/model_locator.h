#pragma once
// Turns what the user typed as MODEL into a weight source: a Hugging Face folder (or its
// config.json), a Quantscope-quantized folder, a llama2.c .bin, or "synthetic:NAME". Everything
// else is a clear error naming the path and what was expected.
#include <memory>
#include <optional>
#include <string>

#include "formats/quantized_folder.h"
#include "formats/weight_source.h"

namespace qs {

struct LocatedModel {
    std::unique_ptr<WeightSource> source;
    std::string path;    // resolved file or folder ("" for synthetic)
    std::string kind;    // "huggingface", "quantscope", "llama2.c", "synthetic"
    std::optional<QuantizationSection> quantization;  // set for Quantscope-quantized folders
    std::string tokenizer_path;  // a tokenizer found beside the model, or ""
};

LocatedModel locate_model(const std::string& spec);  // throws Failure

}  // namespace qs
