#pragma once
// SentencePiece `.model` files (Llama 2, llama2.c's tok512, ...), run by Debian's
// libsentencepiece through the shim (spm_shim_loader.h).
#include <filesystem>
#include <memory>

#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_config.h"

namespace qs {

// Throws Failure naming the file (or the shim, when that cannot be loaded).
std::unique_ptr<Tokenizer> load_sentencepiece(const std::filesystem::path& path,
                                              const TokenizerConfig& config);

}  // namespace qs
