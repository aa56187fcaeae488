#pragma once
// Parses a Hugging Face config.json into a ModelConfig, refusing what we cannot run exactly
// (unknown architectures, rope_scaling, missing or nonsensical sizes).
#include <string>

#include "model/model_config.h"

namespace qs {

// Throws Failure "<path>: <problem>".
ModelConfig parse_hf_config(const std::string& path);
ModelConfig parse_hf_config_text(const std::string& text, const std::string& path_for_errors);

const char* const* supported_architectures();  // null-terminated list

}  // namespace qs
