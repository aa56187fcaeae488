#pragma once
// Hugging Face tokenizer.json of a byte-level BPE (model "BPE" with a ByteLevel pre-tokenizer).
#include <filesystem>
#include <memory>

#include "common/result.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_config.h"

namespace qs {

// A well-formed tokenizer.json of a kind not implemented here (Unigram, WordPiece, or a
// SentencePiece-style BPE without ByteLevel), as opposed to a broken file: a folder that also
// holds a tokenizer.model falls back to it.
class UnsupportedTokenizer : public Failure {
public:
    using Failure::Failure;
};

// Throws Failure (or UnsupportedTokenizer) whose message starts with path.
std::unique_ptr<Tokenizer> load_tokenizer_json(const std::filesystem::path& path,
                                               const TokenizerConfig& config);

}  // namespace qs
