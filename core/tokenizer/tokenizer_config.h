#pragma once
// The part of Hugging Face's tokenizer_config.json that matters for running a model: which
// tokens are BOS/EOS and whether BOS goes before a prompt.
#include <filesystem>
#include <optional>
#include <string>

namespace qs {

struct TokenizerConfig {
    bool present = false;  // whether the folder has a tokenizer_config.json at all
    std::optional<bool> add_bos_token;
    std::optional<std::string> bos_token;  // absent or null in the file: none
    std::optional<std::string> eos_token;
};

// Reads <dir>/tokenizer_config.json when it exists. bos_token/eos_token may be strings or
// AddedToken objects ({"content": ...}). Throws Failure naming the file when it is not valid.
TokenizerConfig read_tokenizer_config(const std::filesystem::path& dir);

}  // namespace qs
