#pragma once
// Public tokenizer interface (no torch, no Qt). Implementations: SentencePiece `.model` files
// (through a dlopen'ed shim, see spm_shim.h) and byte-level BPE (`tokenizer.json`, or
// `vocab.json` + `merges.txt` [+ `added_tokens.json`]).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace qs {

class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // Token ids of text, never with BOS/EOS added.
    virtual std::vector<int32_t> encode(std::string_view text) const = 0;
    virtual std::string decode(const std::vector<int32_t>& ids) const = 0;
    // The vocabulary entry of one id as the tokenizer stores it (e.g. "▁the", "Ġthe", "<0x0A>"),
    // for display in drill-down tables.
    virtual std::string piece(int32_t id) const = 0;
    virtual int32_t vocab_size() const = 0;

    virtual std::optional<int32_t> bos_id() const = 0;
    virtual std::optional<int32_t> eos_id() const = 0;
    // Whether a model using this tokenizer expects BOS before a prompt (SentencePiece Llama
    // models do, Qwen's BPE does not). tokenizer_config.json's add_bos_token overrides.
    virtual bool adds_bos() const = 0;

    virtual std::string kind() const = 0;  // "sentencepiece" or "byte-level-bpe"
    virtual std::string source() const = 0;  // the file it was loaded from
};

// path: a SentencePiece `.model`, a `tokenizer.json`, a `vocab.json`, or a folder holding one
// of those (a folder's `tokenizer_config.json` is honoured for BOS/EOS and add_bos_token).
Result<std::unique_ptr<Tokenizer>> load_tokenizer(const std::string& path);

}  // namespace qs
