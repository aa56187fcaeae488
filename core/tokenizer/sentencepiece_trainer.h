#pragma once
// Trains a SentencePiece model through the shim, so it works in a process that also has
// libtorch loaded (see tokenizer/spm_shim/spm_shim.h).
#include <string>

#include "common/result.h"

namespace qs {

// flags: SentencePieceTrainer flags, e.g. "--input=corpus.txt --model_prefix=out/tok
// --vocab_size=512 --model_type=bpe" (writes out/tok.model and out/tok.vocab). The error
// message names the shim when it cannot be loaded, else carries SentencePiece's message.
Status train_sentencepiece(const std::string& flags);

}  // namespace qs
