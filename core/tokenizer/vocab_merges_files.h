#pragma once
// The older Hugging Face layout of a byte-level BPE: vocab.json + merges.txt beside it
// (+ added_tokens.json). These files carry no normalizer or pre-tokenizer; they are Qwen2's
// (NFC and kQwen2SplitPattern), which is what this layout is used for here.
#include <filesystem>
#include <memory>

#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_config.h"

namespace qs {

// Throws Failure whose message starts with the offending file.
std::unique_ptr<Tokenizer> load_vocab_merges(const std::filesystem::path& vocab_path,
                                             const TokenizerConfig& config);

}  // namespace qs
